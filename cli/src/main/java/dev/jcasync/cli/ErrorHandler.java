package dev.jcasync.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/** Turns any failure of a command into one line on stderr and exit code 1. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        cli.getErr().println("jcasync: " + describe(ex));
        if (System.getenv("JCASYNC_DEBUG") != null || debug(cli)) {
            ex.printStackTrace(cli.getErr());
        }
        return 1;
    }

    /** Whether the command was given {@code -l debug} (casync's log level 7). */
    private static boolean debug(CommandLine cli) {
        for (CommandLine.Model.CommandSpec mixin : cli.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof CasyncOptions casync && casync.logLevel() >= CasyncOptions.LOG_DEBUG) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description; JDK file errors carry only the path, so say what went wrong. */
    static String describe(Throwable ex) {
        if (ex instanceof java.io.UncheckedIOException && ex.getCause() != null) {
            ex = ex.getCause();
        }
        String message;
        if (ex instanceof NoSuchFileException e) {
            message = e.getFile() + ": no such file or directory";
        } else if (ex instanceof AccessDeniedException e) {
            message = e.getFile() + ": permission denied";
        } else if (ex instanceof FileAlreadyExistsException e) {
            message = e.getFile() + ": already exists";
        } else if (ex instanceof NotDirectoryException e) {
            message = e.getFile() + ": not a directory";
        } else if (ex instanceof DirectoryNotEmptyException e) {
            message = e.getFile() + ": directory not empty";
        } else if (ex instanceof FileSystemException e) {
            message =
                    e.getFile() + ": " + (e.getReason() == null ? ex.getClass().getSimpleName() : e.getReason());
        } else if (ex.getMessage() != null) {
            message = ex.getMessage();
        } else {
            message = ex.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }
}
