/**
 * Reading casync's catar stream: {@link dev.jcasync.archive.read.CatarReader} decodes records
 * from a channel with bounded memory and checks the structure (docs/catar.md, sections 2 to 11);
 * {@link dev.jcasync.archive.read.CatarPrinter} prints what casync's list and mtree print;
 * {@link dev.jcasync.archive.read.DirectoryExtractor} rebuilds the tree inside a destination
 * directory, never writing outside it.
 */
package dev.jcasync.archive.read;
