package org.inertia.nn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.Module;
import org.inertia.nn.data.DataLoader;
import org.inertia.optim.Optimizer;

/**
 * A training checkpoint: everything needed to continue a run exactly, in one file that survives crashes.
 *
 * <p>A {@code Checkpoint} names the live objects that make up a run: modules (their parameters, buffers
 * such as batch norm's running statistics, and the generators behind their randomness, e.g. dropout's),
 * optimizers (every state buffer, the step counter, the method's counters such as SRSGD's restart counter
 * and stage, and each group's hyperparameters), data loaders (position in the epoch and the settings that
 * fix the order), further random generators, and free-form metadata. {@link #save} writes their state;
 * {@link #load} restores it into objects built the same way, typically in a fresh process:
 *
 * {@snippet class="org.inertia.nn.snippets.DocSnippets" region="checkpoint"}
 *
 * <p><b>Format.</b> A safetensors file ({@link SafeTensors}; so PyTorch's {@code safetensors} can open it):
 * module tensors under {@code <module>.<dotted name>} (e.g. {@code model.0.weight},
 * {@code model.3.running_mean}), optimizer state buffers under {@code <optimizer>.<group>.<param>.<buffer>}
 * (e.g. {@code optimizer.0.2.exp_avg}); the metadata holds {@code inertia.format} = {@value #FORMAT},
 * {@code inertia.version} = {@value #VERSION}, one JSON document per optimizer
 * ({@code inertia.optimizer.<name>}: method, steps, per group the hyperparameters, the learning rate and
 * (if scheduled) momentum the next step will use, the buffer names of each parameter, and the counters;
 * doubles as their exact decimal text), one per data loader ({@code inertia.data_loader.<name>}), the
 * generator states ({@code inertia.generators}), the caller's metadata under {@code user.<key>}, and
 * {@code inertia.sha256}, a SHA-256 over all the rest ({@link CheckpointDigest}).
 *
 * <p><b>Atomicity.</b> A save writes a temporary file in the target's directory, forces it to disk,
 * renames it over the target and forces the directory: at every instant the target is either the
 * previous complete checkpoint or the new complete one, even if the process is killed or the machine
 * loses power mid-save (a killed save can leave a hidden {@code .<name>.*.tmp} file behind, never a
 * damaged target; the next save of the same target removes such leftovers).
 * The objects must not change while {@code save} runs (call it between steps).
 *
 * <p><b>Loading is all or nothing.</b> The whole file is read and its checksum verified, then every part
 * is checked against the live objects — each module tensor present with the right dtype and shape and
 * none unexpected, the optimizer's method, group layout, buffer shapes, hyperparameter types and
 * counters, the schedules (the learning rate the live optimizer would use at the next step must equal
 * the saved one: schedules are configuration, so build the optimizer with the same ones, or set a new
 * schedule after loading), the data loader's sample count, batch size, shuffling and seed, each
 * generator present and restorable — and only if everything fits is anything copied. Otherwise a
 * {@link CheckpointException} names the file and every problem, and the live objects are untouched. Parts
 * stored in the file but not named in this {@code Checkpoint} are ignored (e.g. load only the model of a
 * training checkpoint).
 *
 * <p><b>What resumes bit-identically.</b> N steps, save, load in a fresh process, M steps equals N + M
 * uninterrupted steps on the CPU backend: kernel results are functions of their inputs alone — fixed
 * summation orders, transcendental functions from {@code FloatMath} rather than the JIT-dependent Vector
 * API intrinsics, work split into fixed-size chunks or whole register tiles so that the thread count
 * ({@code inertia.threads}) does not change any bit (tested with 1–8 threads) — dropout and shuffling draw
 * from {@link SplitMix64} generators and {@link DataLoader} states that are saved, and samplers' noise is
 * counter-based. Not covered: another SIMD width (a machine with 256-bit instead of 512-bit vectors, or
 * {@code inertia.simd.bits}: lane-ordered sums then differ in the last bits), another JVM vendor's
 * {@link Math} intrinsics (the F64 path and the scalar POW use {@link Math}; HotSpot gives the same bits in
 * the interpreter and both compilers), a GPU backend, a {@link java.util.Random} or other generator whose
 * state cannot be read (refused on save), and randomness outside the named parts. The LSTM family's gate
 * kernels are covered: they compute sigmoid and tanh with {@code FloatMath}, and a MomentumLSTM resumed in
 * a fresh JVM continues bit-identically (tested cold and warm).
 *
 * <p>Not thread-safe; one checkpoint file should have one writer.
 */
public final class Checkpoint {
    /** Value of the {@code inertia.format} metadata entry. */
    public static final String FORMAT = "inertia-checkpoint";
    /** Version of the layout described above, in {@code inertia.version}. */
    public static final int VERSION = 1;

    static final String KEY_FORMAT = "inertia.format";
    static final String KEY_VERSION = "inertia.version";
    static final String KEY_SHA256 = "inertia.sha256";
    static final String KEY_OPTIMIZER = "inertia.optimizer.";
    static final String KEY_DATA_LOADER = "inertia.data_loader.";
    static final String KEY_GENERATORS = "inertia.generators";
    static final String USER = "user.";

    private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    final Map<String, Module> modules = new LinkedHashMap<>();
    final Map<String, Optimizer<?>> optimizers = new LinkedHashMap<>();
    final Map<String, DataLoader> loaders = new LinkedHashMap<>();
    final Map<String, RandomGenerator> generators = new LinkedHashMap<>();
    final Map<String, String> metadata = new LinkedHashMap<>();

    /** An empty checkpoint; add parts with {@link #module}, {@link #optimizer}, {@link #dataLoader}, … */
    public Checkpoint() {
    }

    /**
     * A checkpoint of {@code model}, stored under the name {@code "model"}.
     *
     * @param model the model
     * @return a new checkpoint with that one part
     */
    public static Checkpoint of(Module model) {
        return new Checkpoint().module("model", model);
    }

    /**
     * Adds a module under {@code name} (letters, digits, '_' and '-'; unique among all parts).
     *
     * @param name the part's name: letters, digits, '_' and '-'; unique among all parts
     * @param module the module (parameters, buffers, generators)
     * @return this checkpoint
     * @throws IllegalArgumentException if the name is malformed or already used
     */
    public Checkpoint module(String name, Module module) {
        claim(name);
        modules.put(name, Objects.requireNonNull(module, "module " + name));
        return this;
    }

    /**
     * Adds {@code optimizer} under the name {@code "optimizer"}.
     *
     * @param optimizer the optimizer (step count, hyperparameters, state)
     * @return this checkpoint
     * @throws IllegalArgumentException if {@code "optimizer"} is already used
     */
    public Checkpoint optimizer(Optimizer<?> optimizer) {
        return optimizer("optimizer", optimizer);
    }

    /**
     * Adds an optimizer under {@code name}.
     *
     * @param name the part's name: letters, digits, '_' and '-'; unique among all parts
     * @param optimizer the optimizer (step count, hyperparameters, state)
     * @return this checkpoint
     * @throws IllegalArgumentException if the name is malformed or already used
     */
    public Checkpoint optimizer(String name, Optimizer<?> optimizer) {
        claim(name);
        optimizers.put(name, Objects.requireNonNull(optimizer, "optimizer " + name));
        return this;
    }

    /**
     * Adds {@code loader} under the name {@code "data_loader"}.
     *
     * @param loader the loader (its {@link DataLoader.State})
     * @return this checkpoint
     * @throws IllegalArgumentException if {@code "data_loader"} is already used
     */
    public Checkpoint dataLoader(DataLoader loader) {
        return dataLoader("data_loader", loader);
    }

    /**
     * Adds a data loader under {@code name}.
     *
     * @param name the part's name: letters, digits, '_' and '-'; unique among all parts
     * @param loader the loader (its {@link DataLoader.State})
     * @return this checkpoint
     * @throws IllegalArgumentException if the name is malformed or already used
     */
    public Checkpoint dataLoader(String name, DataLoader loader) {
        claim(name);
        loaders.put(name, Objects.requireNonNull(loader, "data loader " + name));
        return this;
    }

    /**
     * Adds a generator under {@code name}. It must be a {@link SplitMix64} when saving or loading (no
     * other generator exposes its state); the check happens then, so the same object can be named here
     * for symmetry in both directions.
     *
     * @param name the part's name: letters, digits, '_' and '-'; unique among all parts
     * @param generator the generator; a {@link SplitMix64} by the time of save or load
     * @return this checkpoint
     * @throws IllegalArgumentException if the name is malformed or already used
     */
    public Checkpoint generator(String name, RandomGenerator generator) {
        claim(name);
        generators.put(name, Objects.requireNonNull(generator, "generator " + name));
        return this;
    }

    /**
     * Stores {@code key = value} in the file (read back with {@link Info#metadata()}).
     *
     * @param key the key (stored with the prefix {@code user.})
     * @param value the value; replaces an earlier one for the same key
     * @return this checkpoint
     */
    public Checkpoint metadata(String key, String value) {
        Objects.requireNonNull(key, "metadata key");
        Objects.requireNonNull(value, "metadata value for " + key);
        metadata.put(key, value);
        return this;
    }

    private void claim(String name) {
        if (name == null || !PART_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("part name must be letters, digits, '_' or '-', got '" + name + "'");
        }
        if (modules.containsKey(name) || optimizers.containsKey(name) || loaders.containsKey(name)
                || generators.containsKey(name)) {
            throw new IllegalArgumentException("part name " + name + " is already used in this checkpoint");
        }
    }

    // ---------------------------------------------------------------- save and load

    /**
     * Writes the state of every part to {@code file}, atomically replacing it (see the class description).
     *
     * @param file the file to write; its directory must exist
     * @throws IllegalStateException if a module, parameter or buffer is closed
     * @throws IllegalArgumentException if a generator is not a {@link SplitMix64}, or an optimizer's
     *         hyperparameters are not a public record
     * @throws IOException if writing fails; the previous {@code file}, if any, is then unchanged
     */
    public void save(Path file) throws IOException {
        save(file, SafeTensors.WriteHook.NONE);
    }

    void save(Path file, SafeTensors.WriteHook hook) throws IOException {
        Objects.requireNonNull(file, "file");
        CheckpointEncoder.Encoded e = CheckpointEncoder.encode(this);
        SafeTensors.save(e.tensors(), e.metadata(), file, hook);
    }

    /**
     * Restores every part from {@code file}: all or nothing (see the class description).
     *
     * @return what the file holds besides the restored state (steps, positions, metadata)
     * @param file a checkpoint file written by {@link #save(Path)}
     * @throws CheckpointException naming the file and every problem if the file is not a valid, intact
     *         checkpoint or does not fit the parts; nothing has been changed then
     * @throws IllegalStateException if a part is closed (checked before the file is read)
     * @throws IOException if the file cannot be read
     */
    public Info load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        CheckpointDecoder.checkOpen(this);
        try (SafeTensors.Contents contents = CheckpointDecoder.readVerified(file)) {
            CheckpointDecoder.Plan plan = CheckpointDecoder.plan(this, file, contents);
            plan.apply();
            return CheckpointDecoder.info(file, contents);
        }
    }

    /**
     * Reads and verifies {@code file} without restoring anything: what it holds.
     *
     * @param file a checkpoint file
     * @return its contents' description
     * @throws CheckpointException if the file is not a valid, intact checkpoint
     * @throws IOException if the file cannot be read
     */
    public static Info inspect(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (SafeTensors.Contents contents = CheckpointDecoder.readVerified(file)) {
            return CheckpointDecoder.info(file, contents);
        }
    }

    /**
     * {@code Checkpoint.of(model).optimizer(optimizer).save(file)}.
     *
     * @param file the file to write
     * @param model the model, saved as {@code "model"}
     * @param optimizer the optimizer, saved as {@code "optimizer"}
     * @throws IOException if writing fails (see {@link #save(Path)})
     */
    public static void save(Path file, Module model, Optimizer<?> optimizer) throws IOException {
        of(model).optimizer(optimizer).save(file);
    }

    /**
     * {@code Checkpoint.of(model).optimizer(optimizer).load(file)}.
     *
     * @param file the file to read
     * @param model the model to restore, saved as {@code "model"}
     * @param optimizer the optimizer to restore, saved as {@code "optimizer"}
     * @return what the file holds besides the restored state
     * @throws CheckpointException if the file is invalid or does not fit; nothing is changed then
     * @throws IOException if the file cannot be read
     */
    public static Info load(Path file, Module model, Optimizer<?> optimizer) throws IOException {
        return of(model).optimizer(optimizer).load(file);
    }

    /**
     * What a checkpoint file holds: the steps each optimizer had taken, each data loader's state, the
     * caller's metadata (without the {@code user.} prefix) and the names of all tensors.
     *
     * @param file the file described
     * @param optimizerSteps steps taken by each saved optimizer, by part name (unmodifiable)
     * @param dataLoaders each saved data loader's state, by part name (unmodifiable)
     * @param metadata the caller's {@link #metadata(String, String) metadata}, by key (unmodifiable)
     * @param tensors the names of all tensors in the file (unmodifiable)
     */
    public record Info(Path file, Map<String, Long> optimizerSteps, Map<String, DataLoader.State> dataLoaders,
                       Map<String, String> metadata, Set<String> tensors) {
        /**
         * Creates the description, copying every collection into an unmodifiable one.
         *
         * @param file the file described
         * @param optimizerSteps steps by optimizer name; copied
         * @param dataLoaders loader states by name; copied
         * @param metadata the caller's metadata; copied
         * @param tensors the tensor names; copied
         */
        public Info {
            optimizerSteps = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerSteps));
            dataLoaders = Collections.unmodifiableMap(new LinkedHashMap<>(dataLoaders));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors = Set.copyOf(tensors);
        }

        /**
         * Steps taken by the optimizer saved as {@code "optimizer"}.
         *
         * @return the step count
         * @throws IllegalStateException if the file holds no optimizer named {@code "optimizer"}
         */
        public long steps() {
            Long s = optimizerSteps.get("optimizer");
            if (s == null) {
                throw new IllegalStateException(file + " holds no optimizer named \"optimizer\" (it has "
                        + optimizerSteps.keySet() + ")");
            }
            return s;
        }
    }
}
