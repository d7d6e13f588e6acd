package dev.jcasync.extract;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In place: data that moved within the output is copied, not fetched. The output's old content is
 * chunked first (read only), then the copies run in an order that reads every source before
 * anything is written over it ({@link InPlaceMoves}); this step runs before any other writes. Each
 * copy is hashed again when read, so even a plan gone wrong could only cost a fetch, never a wrong byte.
 */
final class MoveWithinOutput implements Step {
    /** How much of the output's old content may be held in memory to break a cycle of moves. */
    static final long READ_AHEAD_BYTES = 32L << 20;

    @Override
    public void run(Extraction job) throws IOException {
        Path old = job.output.movedFrom();
        if (old == null) {
            return;
        }
        Map<ChunkId, Long> found = new ConcurrentHashMap<>();
        job.scan(old, "output", (id, data, offset, length, position) -> {
            Need need = job.needs.get(id);
            if (need != null && need.wantsCopy()) {
                found.merge(id, position, Math::min); // the first copy, whatever the thread order
            }
        });
        // By source offset: a plan that does not depend on hash-map order (a dry run predicts the real run).
        List<Map.Entry<ChunkId, Long>> bySource = new ArrayList<>(found.entrySet());
        bySource.sort(Map.Entry.comparingByValue());
        List<Need> needs = new ArrayList<>();
        List<InPlaceMoves.Move> moves = new ArrayList<>();
        for (Map.Entry<ChunkId, Long> e : bySource) {
            Need need = job.needs.get(e.getKey());
            needs.add(need);
            moves.add(new InPlaceMoves.Move(
                    e.getValue(),
                    need.size,
                    need.toWrite.stream().mapToLong(p -> p.offset()).toArray()));
        }
        Map<Integer, byte[]> readAhead = new HashMap<>();
        for (InPlaceMoves.Step step : InPlaceMoves.plan(moves, READ_AHEAD_BYTES)) {
            InPlaceMoves.Move m = moves.get(step.move());
            Need need = needs.get(step.move());
            switch (step.kind()) {
                case READ -> readAhead.put(step.move(), readVerified(job, m, need));
                case WRITE -> {
                    byte[] data = readAhead.containsKey(step.move())
                            ? readAhead.remove(step.move())
                            : readVerified(job, m, need);
                    if (data != null && need.claim()) {
                        job.tallies.fromSeed(need, null);
                        job.writeEverywhere(need, ByteBuffer.wrap(data));
                    }
                }
                case DROP -> {} // written over before it could be read: obtained from elsewhere
            }
        }
    }

    /** The chunk at the move's source if it still hashes to the need's id, else null. */
    private static byte[] readVerified(Extraction job, InPlaceMoves.Move m, Need need) throws IOException {
        byte[] data = job.output.read(m.source(), m.size());
        return data != null && job.verifier.holds(need.id, data) ? data : null;
    }
}
