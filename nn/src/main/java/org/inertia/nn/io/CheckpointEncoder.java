package org.inertia.nn.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.data.DataLoader;
import org.inertia.optim.Optimizer;

/**
 * Turns a {@link Checkpoint}'s parts into the tensors and metadata of its file (layout in
 * {@link Checkpoint}); the live arrays are referenced, not copied. Every check runs before anything is
 * written.
 */
final class CheckpointEncoder {
    record Encoded(Map<String, NdArray> tensors, Map<String, String> metadata) {
    }

    private CheckpointEncoder() {
    }

    static Encoded encode(Checkpoint c) {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.KEY_FORMAT, Checkpoint.FORMAT);
        meta.put(Checkpoint.KEY_VERSION, Integer.toString(Checkpoint.VERSION));
        Map<String, Object> generatorStates = new LinkedHashMap<>();
        c.modules.forEach((name, m) -> module(name, m, tensors, generatorStates));
        c.generators.forEach((name, g) -> generatorStates.put(name, state(name, g)));
        if (!generatorStates.isEmpty()) {
            meta.put(Checkpoint.KEY_GENERATORS, Json.write(generatorStates));
        }
        c.optimizers.forEach((name, o) -> meta.put(Checkpoint.KEY_OPTIMIZER + name, optimizer(name, o, tensors)));
        c.loaders.forEach((name, l) -> {
            if (l.isClosed()) {
                throw new IllegalStateException("data loader " + name + " is closed");
            }
            meta.put(Checkpoint.KEY_DATA_LOADER + name, Json.write(loader(l.state())));
        });
        c.metadata.forEach((k, v) -> meta.put(Checkpoint.USER + k, v));
        meta.put(Checkpoint.KEY_SHA256, CheckpointDigest.of(tensors, meta, Checkpoint.KEY_SHA256));
        return new Encoded(tensors, meta);
    }

    private static void module(String name, Module m, Map<String, NdArray> tensors, Map<String, Object> generators) {
        if (m.isClosed()) {
            throw new IllegalStateException("module " + name + " is closed");
        }
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            if (p.getValue().isClosed() || !p.getValue().data().isOpen()) {
                throw new IllegalStateException("parameter " + name + "." + p.getKey() + " is closed");
            }
            tensors.put(name + "." + p.getKey(), p.getValue().data());
        }
        for (Map.Entry<String, NdArray> b : m.namedBuffers().entrySet()) {
            if (!b.getValue().isOpen()) {
                throw new IllegalStateException("buffer " + name + "." + b.getKey() + " is closed");
            }
            tensors.put(name + "." + b.getKey(), b.getValue());
        }
        m.namedGenerators().forEach((path, g) -> generators.put(name + "." + path, state(name + "." + path, g)));
    }

    private static Long state(String name, RandomGenerator g) {
        if (!(g instanceof SplitMix64 s)) {
            throw new IllegalArgumentException("generator " + name + " is a " + g.getClass().getName()
                    + ", whose state cannot be saved; use org.inertia.kernels.SplitMix64 (e.g. new Dropout(p, seed))");
        }
        return s.state();
    }

    private static String optimizer(String name, Optimizer<?> o, Map<String, NdArray> tensors) {
        if (o.isClosed()) {
            throw new IllegalStateException("optimizer " + name + " is closed");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", o.method());
        json.put("steps", o.steps());
        List<Object> groups = new ArrayList<>();
        long next = o.steps() + 1;
        List<? extends Optimizer.Group<?>> gs = o.groups();
        for (int gi = 0; gi < gs.size(); gi++) {
            Optimizer.Group<?> g = gs.get(gi);
            Map<String, Object> gj = new LinkedHashMap<>();
            if (!(g.hyper() instanceof Record r)) {
                throw new IllegalArgumentException("optimizer " + name + " group " + gi + " hyperparameters ("
                        + g.hyper().getClass().getName() + ") are not a record and cannot be saved");
            }
            gj.put("hyper", HyperCodec.encode(r));
            gj.put("lr_next", Double.toString(g.lr(next)));
            if (g.hasMomentumSchedule()) {
                gj.put("momentum_next", Double.toString(g.momentum(next, Double.NaN)));
            }
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < g.params().size(); i++) {
                List<Object> names = new ArrayList<>();
                for (Map.Entry<String, NdArray> b : g.stateBuffers(i).entrySet()) {
                    if (!b.getValue().isOpen()) {
                        throw new IllegalStateException("optimizer " + name + " state " + b.getKey() + " of group " + gi
                                + " parameter " + i + " is closed");
                    }
                    names.add(b.getKey());
                    tensors.put(name + "." + gi + "." + i + "." + b.getKey(), b.getValue());
                }
                params.add(names);
            }
            gj.put("params", params);
            groups.add(gj);
        }
        json.put("groups", groups);
        Map<String, Object> scalars = new LinkedHashMap<>();
        new java.util.TreeMap<>(o.scalarState()).forEach((k, v) -> scalars.put(k, Double.toString(v)));
        json.put("scalars", scalars);
        return Json.write(json);
    }

    static Map<String, Object> loader(DataLoader.State s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epoch", (long) s.epoch());
        json.put("batch", (long) s.batch());
        json.put("samples", (long) s.samples());
        json.put("batch_size", (long) s.batchSize());
        json.put("shuffle", s.shuffle());
        json.put("seed", s.seed());
        json.put("drop_last", s.dropLast());
        return json;
    }
}
