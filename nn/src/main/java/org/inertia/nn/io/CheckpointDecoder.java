package org.inertia.nn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.data.DataLoader;
import org.inertia.optim.Optimizer;
import org.inertia.optim.StateDict;

/**
 * Reads a checkpoint file and checks it against a {@link Checkpoint}'s live parts, producing a
 * {@link Plan} that restores them: every problem is found before the plan exists, so applying it cannot
 * fail on a mismatch and a rejected file changes nothing.
 */
final class CheckpointDecoder {
    private CheckpointDecoder() {
    }

    /** Closed parts are the caller's mistake, not the file's: {@link IllegalStateException} before reading. */
    static void checkOpen(Checkpoint c) {
        c.optimizers.forEach((name, o) -> {
            if (o.isClosed()) {
                throw new IllegalStateException("optimizer " + name + " is closed");
            }
        });
        c.loaders.forEach((name, l) -> {
            if (l.isClosed()) {
                throw new IllegalStateException("data loader " + name + " is closed");
            }
        });
        c.modules.forEach((name, m) -> {
            if (m.isClosed()) {
                throw new IllegalStateException("module " + name + " is closed");
            }
            m.namedParameters().forEach((p, t) -> {
                if (t.isClosed() || !t.data().isOpen()) {
                    throw new IllegalStateException("parameter " + name + "." + p + " is closed");
                }
            });
            m.namedBuffers().forEach((b, a) -> {
                if (!a.isOpen()) {
                    throw new IllegalStateException("buffer " + name + "." + b + " is closed");
                }
            });
        });
    }

    /** The file's tensors and metadata, after the format, version and checksum are verified. */
    static SafeTensors.Contents readVerified(Path file) throws IOException {
        SafeTensors.Contents c;
        try {
            c = SafeTensors.read(file);
        } catch (SafeTensorsFormatException e) {
            throw new CheckpointException(file, "not a readable checkpoint (" + e.problem() + ")", e);
        }
        boolean ok = false;
        try {
            Map<String, String> meta = c.metadata();
            if (!Checkpoint.FORMAT.equals(meta.get(Checkpoint.KEY_FORMAT))) {
                throw new CheckpointException(file, "not an Inertia checkpoint (metadata " + Checkpoint.KEY_FORMAT
                        + " is " + (meta.containsKey(Checkpoint.KEY_FORMAT) ? "\"" + meta.get(Checkpoint.KEY_FORMAT) + "\""
                        : "absent") + "); a plain weights file loads with SafeTensors.loadModule");
            }
            if (!Integer.toString(Checkpoint.VERSION).equals(meta.get(Checkpoint.KEY_VERSION))) {
                throw new CheckpointException(file, "checkpoint version " + meta.get(Checkpoint.KEY_VERSION)
                        + " is not supported (this library reads version " + Checkpoint.VERSION + ")");
            }
            String stored = meta.get(Checkpoint.KEY_SHA256);
            if (stored == null) {
                throw new CheckpointException(file, "checksum " + Checkpoint.KEY_SHA256 + " is missing");
            }
            String actual = CheckpointDigest.of(c.tensors(), meta, Checkpoint.KEY_SHA256);
            if (!actual.equals(stored)) {
                throw new CheckpointException(file, "content checksum mismatch (stored " + stored + ", computed "
                        + actual + "): the file is corrupted");
            }
            ok = true;
            return c;
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    static Checkpoint.Info info(Path file, SafeTensors.Contents c) throws CheckpointException {
        Map<String, Long> steps = new LinkedHashMap<>();
        Map<String, DataLoader.State> loaders = new LinkedHashMap<>();
        Map<String, String> user = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(Checkpoint.KEY_OPTIMIZER)) {
                String name = k.substring(Checkpoint.KEY_OPTIMIZER.length());
                Map<?, ?> json = object(file, k, e.getValue());
                steps.put(name, nonNegative(file, k + " steps", json.get("steps")));
            } else if (k.startsWith(Checkpoint.KEY_DATA_LOADER)) {
                loaders.put(k.substring(Checkpoint.KEY_DATA_LOADER.length()), loaderState(file, k, e.getValue()));
            } else if (k.startsWith(Checkpoint.USER)) {
                user.put(k.substring(Checkpoint.USER.length()), e.getValue());
            }
        }
        return new Checkpoint.Info(file, steps, loaders, user, c.tensors().keySet());
    }

    // ---------------------------------------------------------------- the plan

    /** The restoring steps, each already checked; {@link #apply} runs them. */
    static final class Plan {
        private final List<Runnable> optimizerSteps = new ArrayList<>();
        private final List<Runnable> otherSteps = new ArrayList<>();

        /** Optimizers first: their loads allocate copies, so an allocation failure leaves the rest untouched. */
        void apply() {
            optimizerSteps.forEach(Runnable::run);
            otherSteps.forEach(Runnable::run);
        }
    }

    static Plan plan(Checkpoint c, Path file, SafeTensors.Contents contents) throws CheckpointException {
        Plan plan = new Plan();
        List<String> problems = new ArrayList<>();
        Map<String, NdArray> tensors = contents.tensors();
        Map<String, String> meta = contents.metadata();
        c.modules.forEach((name, m) -> module(name, m, tensors, plan, problems));
        generators(c, file, meta, plan, problems);
        for (Map.Entry<String, Optimizer<?>> e : c.optimizers.entrySet()) {
            optimizer(e.getKey(), e.getValue(), file, tensors, meta, plan, problems);
        }
        for (Map.Entry<String, DataLoader> e : c.loaders.entrySet()) {
            loader(e.getKey(), e.getValue(), file, meta, plan, problems);
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(file, "does not fit what it is loaded into, nothing was loaded: "
                    + String.join("; ", problems));
        }
        return plan;
    }

    private static void module(String name, Module m, Map<String, NdArray> tensors, Plan plan, List<String> problems) {
        Map<String, NdArray> live = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            live.put(name + "." + p.getKey(), p.getValue().data());
        }
        m.namedBuffers().forEach((b, a) -> live.put(name + "." + b, a));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, NdArray> e : live.entrySet()) {
            NdArray saved = tensors.get(e.getKey());
            NdArray target = e.getValue();
            if (saved == null) {
                missing.add(e.getKey());
            } else if (saved.dtype() != target.dtype() || !saved.shape().equals(target.shape())) {
                problems.add("tensor " + e.getKey() + " is " + saved.dtype() + " " + saved.shape() + " in the file but "
                        + target.dtype() + " " + target.shape() + " in module " + name);
            } else {
                plan.otherSteps.add(() -> target.copyFrom(saved));
            }
        }
        if (!missing.isEmpty()) {
            problems.add("module " + name + " has tensors the file lacks (missing keys): " + missing);
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (k.startsWith(name + ".") && !live.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!unexpected.isEmpty()) {
            java.util.Collections.sort(unexpected);
            problems.add("the file has tensors module " + name + " lacks (unexpected keys): " + unexpected);
        }
    }

    private static void generators(Checkpoint c, Path file, Map<String, String> meta, Plan plan, List<String> problems)
            throws CheckpointException {
        Map<String, RandomGenerator> live = new LinkedHashMap<>();
        c.modules.forEach((name, m) -> m.namedGenerators().forEach((path, g) -> live.put(name + "." + path, g)));
        live.putAll(c.generators);
        String json = meta.get(Checkpoint.KEY_GENERATORS);
        Map<?, ?> saved = json == null ? Map.of() : object(file, Checkpoint.KEY_GENERATORS, json);
        for (Map.Entry<String, RandomGenerator> e : live.entrySet()) {
            Object state = saved.get(e.getKey());
            if (!(e.getValue() instanceof SplitMix64 target)) {
                problems.add("generator " + e.getKey() + " is a " + e.getValue().getClass().getName()
                        + ", whose state cannot be restored (use org.inertia.kernels.SplitMix64)");
            } else if (state == null) {
                problems.add("generator " + e.getKey() + " is not in the file");
            } else if (!(state instanceof Long l)) {
                problems.add("generator " + e.getKey() + " has state " + state + ", not a 64-bit integer");
            } else {
                plan.otherSteps.add(() -> target.setState(l));
            }
        }
        for (Object k : saved.keySet()) {
            String key = (String) k;
            boolean ours = c.generators.containsKey(key)
                    || c.modules.keySet().stream().anyMatch(m -> key.startsWith(m + "."));
            if (ours && !live.containsKey(key)) {
                problems.add("the file has generator " + key + ", which nothing here owns");
            }
        }
    }

    private static void optimizer(String name, Optimizer<?> o, Path file, Map<String, NdArray> tensors,
                                  Map<String, String> meta, Plan plan, List<String> problems)
            throws CheckpointException {
        String key = Checkpoint.KEY_OPTIMIZER + name;
        String text = meta.get(key);
        if (text == null) {
            problems.add("the file holds no optimizer " + name);
            return;
        }
        Map<?, ?> json = object(file, key, text);
        String where = "optimizer " + name;
        if (!(json.get("method") instanceof String method) || !method.equals(o.method())) {
            problems.add(where + " is " + json.get("method") + " in the file but " + o.method() + " here");
            return;
        }
        long steps = nonNegative(file, key + " steps", json.get("steps"));
        List<?> groups = list(file, key + " groups", json.get("groups"));
        List<? extends Optimizer.Group<?>> live = o.groups();
        if (groups.size() != live.size()) {
            problems.add(where + " has " + groups.size() + " parameter groups in the file but " + live.size() + " here");
            return;
        }
        List<Object> hypers = new ArrayList<>();
        List<List<Map<String, NdArray>>> buffers = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        int before = problems.size();
        for (int gi = 0; gi < groups.size(); gi++) {
            String gwhere = where + " group " + gi;
            Map<?, ?> gj = object(file, key + " group " + gi, groups.get(gi));
            Optimizer.Group<?> g = live.get(gi);
            Record hyper;
            try {
                hyper = HyperCodec.decode(object(file, key + " group " + gi + " hyper", gj.get("hyper")),
                        (Record) g.hyper());
            } catch (IllegalArgumentException | ClassCastException ex) {
                problems.add(gwhere + ": " + ex.getMessage());
                continue;
            }
            hypers.add(hyper);
            schedules(gwhere, file, key, gj, g, (Optimizer.Hyper) hyper, steps, problems);
            List<?> params = list(file, key + " group " + gi + " params", gj.get("params"));
            if (params.size() != g.params().size()) {
                problems.add(gwhere + " has " + params.size() + " parameters in the file but " + g.params().size() + " here");
                continue;
            }
            List<Map<String, NdArray>> gb = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                Map<String, NdArray> st = new LinkedHashMap<>();
                for (Object n : list(file, key + " group " + gi + " parameter " + i, params.get(i))) {
                    String tname = name + "." + gi + "." + i + "." + n;
                    NdArray a = tensors.get(tname);
                    if (!(n instanceof String bufferName) || a == null) {
                        problems.add(gwhere + " parameter " + i + ": state tensor " + tname + " is missing");
                        continue;
                    }
                    used.add(tname);
                    st.put(bufferName, a);
                }
                gb.add(st);
            }
            buffers.add(gb);
        }
        List<String> stray = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (k.startsWith(name + ".") && !used.contains(k)) {
                stray.add(k);
            }
        }
        if (!stray.isEmpty()) {
            java.util.Collections.sort(stray);
            problems.add(where + ": the file has state tensors its groups do not list (unexpected keys): " + stray);
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        Map<?, ?> sj = object(file, key + " scalars", json.get("scalars"));
        for (Map.Entry<?, ?> e : sj.entrySet()) {
            try {
                scalars.put((String) e.getKey(), HyperCodec.parseDouble("counter " + e.getKey() + " must be a number, got "
                        + e.getValue(), e.getValue()));
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": " + ex.getMessage());
            }
        }
        if (problems.size() > before) {
            return;
        }
        StateDict sd = new StateDict(o.method(), steps, hypers, buffers, scalars);
        try {
            o.checkStateDict(sd);
        } catch (IllegalArgumentException ex) {
            problems.add(where + ": " + ex.getMessage());
            return;
        }
        plan.optimizerSteps.add(() -> o.loadStateDict(sd)); // copies the buffers; the file's arrays are closed later
    }

    /**
     * The learning rate (and a scheduled momentum) the live group would use at the next step must be the
     * saved one: schedules are configuration, and a different one would silently change the run.
     */
    private static void schedules(String where, Path file, String key, Map<?, ?> gj, Optimizer.Group<?> g,
                                  Optimizer.Hyper hyper, long steps, List<String> problems) throws CheckpointException {
        long next = steps + 1;
        double savedLr = number(file, key + " lr_next", gj.get("lr_next"));
        double liveLr = g.hasLrSchedule() ? g.lr(next) : hyper.lr();
        if (Double.doubleToLongBits(savedLr) != Double.doubleToLongBits(liveLr)) {
            problems.add(where + ": the learning rate for step " + next + " is " + savedLr + " in the file but "
                    + liveLr + " here (" + (g.hasLrSchedule() ? "lr schedule" : "no lr schedule")
                    + "); build the optimizer with the same schedules, or set a new one after loading");
        }
        boolean savedMomentum = gj.containsKey("momentum_next");
        if (savedMomentum != g.hasMomentumSchedule()) {
            problems.add(where + ": the file was saved " + (savedMomentum ? "with" : "without")
                    + " a momentum schedule, this optimizer has " + (g.hasMomentumSchedule() ? "one" : "none"));
        } else if (savedMomentum) {
            double saved = number(file, key + " momentum_next", gj.get("momentum_next"));
            double liveMomentum = g.momentum(next, Double.NaN);
            if (Double.doubleToLongBits(saved) != Double.doubleToLongBits(liveMomentum)) {
                problems.add(where + ": the momentum for step " + next + " is " + saved + " in the file but "
                        + liveMomentum + " here; build the optimizer with the same momentum schedule");
            }
        }
    }

    private static void loader(String name, DataLoader l, Path file, Map<String, String> meta, Plan plan,
                               List<String> problems) throws CheckpointException {
        String key = Checkpoint.KEY_DATA_LOADER + name;
        String text = meta.get(key);
        if (text == null) {
            problems.add("the file holds no data loader " + name);
            return;
        }
        DataLoader.State s = loaderState(file, key, text);
        try {
            l.checkState(s);
        } catch (IllegalArgumentException ex) {
            problems.add("data loader " + name + ": " + ex.getMessage());
            return;
        }
        plan.otherSteps.add(() -> l.loadState(s));
    }

    static DataLoader.State loaderState(Path file, String key, String text) throws CheckpointException {
        Map<?, ?> j = object(file, key, text);
        return new DataLoader.State(integer(file, key + " epoch", j.get("epoch")),
                integer(file, key + " batch", j.get("batch")), integer(file, key + " samples", j.get("samples")),
                integer(file, key + " batch_size", j.get("batch_size")), bool(file, key + " shuffle", j.get("shuffle")),
                longValue(file, key + " seed", j.get("seed")), bool(file, key + " drop_last", j.get("drop_last")));
    }

    // ---------------------------------------------------------------- JSON access with file-naming errors

    private static Map<?, ?> object(Path file, String what, Object v) throws CheckpointException {
        if (v instanceof String text) {
            try {
                v = Json.parse(text);
            } catch (Json.JsonException e) {
                throw new CheckpointException(file, what + " is not valid JSON: " + e.getMessage(), e);
            }
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new CheckpointException(file, what + " must be a JSON object, got " + v);
        }
        return m;
    }

    private static List<?> list(Path file, String what, Object v) throws CheckpointException {
        if (!(v instanceof List<?> l)) {
            throw new CheckpointException(file, what + " must be a JSON array, got " + v);
        }
        return l;
    }

    private static long longValue(Path file, String what, Object v) throws CheckpointException {
        if (!(v instanceof Long l)) {
            throw new CheckpointException(file, what + " must be a 64-bit integer, got " + v);
        }
        return l;
    }

    private static long nonNegative(Path file, String what, Object v) throws CheckpointException {
        long l = longValue(file, what, v);
        if (l < 0) {
            throw new CheckpointException(file, what + " must be >= 0, got " + l);
        }
        return l;
    }

    private static int integer(Path file, String what, Object v) throws CheckpointException {
        long l = longValue(file, what, v);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new CheckpointException(file, what + " must be a 32-bit integer, got " + l);
        }
        return (int) l;
    }

    private static boolean bool(Path file, String what, Object v) throws CheckpointException {
        if (!(v instanceof Boolean b)) {
            throw new CheckpointException(file, what + " must be true or false, got " + v);
        }
        return b;
    }

    private static double number(Path file, String what, Object v) throws CheckpointException {
        try {
            return HyperCodec.parseDouble(what + " must be a number, got " + v, v);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage());
        }
    }
}
