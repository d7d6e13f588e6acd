package dev.jcasync.extract;

import java.io.IOException;

/**
 * One job of an extract. {@link Assembler} runs them in order: plan (the {@link Extraction} itself),
 * {@link KeepInPlace}, {@link MoveWithinOutput}, {@link ScanSeeds}, then {@link FillInParallel} or,
 * for a stream, {@link WriteInOrder}; the output's {@code finish} ends the run. A step that does not
 * apply to the output at hand does nothing.
 */
interface Step {
    void run(Extraction job) throws IOException;
}
