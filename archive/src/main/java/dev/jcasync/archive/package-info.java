/**
 * Directory trees to and from casync's catar stream: a producer and a consumer of the byte stream
 * that the chunker cuts, beside it in the data flow. The format notes are in docs/catar.md.
 */
package dev.jcasync.archive;
