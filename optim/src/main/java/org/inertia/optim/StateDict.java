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
 *
 * @param method  the optimizer's method name ({@link Optimizer#method()}, e.g. {@code "adam"}); loading
 *                checks it
 * @param steps   the number of steps taken, ≥ 0
 * @param hypers  each group's hyperparameter record, in group order
 * @param buffers per group, per parameter (in the order added), the state buffers by key (e.g.
 *                {@code exp_avg}); copies owned by this record, empty maps before the first step
 * @param scalars the method's scalar counters by name (restart counters, last loss, …); empty if none
 */
public record StateDict(String method, long steps, List<Object> hypers, List<List<Map<String, NdArray>>> buffers,
                        Map<String, Double> scalars) implements AutoCloseable {
    /** Closes every buffer copy; the record must not be loaded afterwards. */
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
