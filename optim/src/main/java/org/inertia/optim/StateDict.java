package org.inertia.optim;

import java.util.List;
import java.util.Map;
import org.inertia.kernels.NdArray;

/**
 * An optimizer's complete state, detached from it: the method name, the number of steps taken, each
 * group's hyperparameters (immutable records), copies of every per-parameter state buffer (keyed by
 * group and parameter index, in the order they were added, each buffer under its name) and the
 * method's scalar counters (restart counters, last loss, …). Loading it into a fresh optimizer built
 * over the same parameters continues bit-identically. Schedules are configuration, not state: they
 * are not stored (give the new optimizer the same schedules). Owns its buffer copies; close it.
 */
public record StateDict(String method, long steps, List<Object> hypers, List<List<Map<String, NdArray>>> buffers,
                        Map<String, Double> scalars) implements AutoCloseable {
    @Override
    public void close() {
        for (var group : buffers) {
            for (var param : group) {
                for (NdArray a : param.values()) {
                    a.close();
                }
            }
        }
    }
}
