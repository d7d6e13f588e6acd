package dev.jcasync.serve;

import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of a {@link ChunkHandler}: a GET or HEAD of a chunk file the store directory lacks is
 * first handed to {@link MissingChunks} (on the thread pool: it waits on the network), then
 * answered by the chunk handler from the file now there (or 404). A chunk that could not be
 * fetched is 502, with one line to the error log. Requests for files that are there go straight
 * through, with one file-system look added.
 */
final class MissingChunkHandler extends Handler.Wrapper {
    private final LocalStore store;
    private final MissingChunks missing;
    private final Consumer<String> errors;

    MissingChunkHandler(Handler chunks, LocalStore store, MissingChunks missing, Consumer<String> errors) {
        super(chunks);
        this.store = store;
        this.missing = missing;
        this.errors = errors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        HttpURI uri = request.getHttpURI();
        if ((method.equals("GET") || method.equals("HEAD")) && uri.getQuery() == null) {
            Optional<ChunkPath> chunk = ChunkPath.parse(uri.getPath());
            if (chunk.isPresent()) {
                Path file = chunk.get().file(store);
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    request.getComponents().getExecutor().execute(() -> fill(chunk.get(), request, response, callback));
                    return true;
                }
            }
        }
        return super.handle(request, response, callback);
    }

    private void fill(ChunkPath chunk, Request request, Response response, Callback callback) {
        try {
            try {
                missing.fetch(chunk.id(), chunk.compressed());
            } catch (IOException e) {
                errors.accept("chunk " + chunk.id() + ": " + e.getMessage());
                response.setStatus(502);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                Content.Sink.write(response, true, "bad gateway: the backing store failed\n", callback);
                return;
            }
            if (!super.handle(request, response, callback)) {
                callback.failed(new IllegalStateException("chunk request not handled"));
            }
        } catch (Throwable e) {
            callback.failed(e);
        }
    }
}
