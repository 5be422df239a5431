package org.inertia.nn.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;

/**
 * Batches of labelled images in a seeded order, as images, flat vectors or pixel sequences.
 *
 * <p>Each epoch visits every sample once. Without {@link Builder#shuffle(long)} the order is 0 … n-1;
 * with it, epoch {@code e}'s order is {@link Permutations#random}(n, mix(seed, e)) — the same on every
 * run, JVM and thread count (the loader runs on the caller's thread). {@link #iterator()} starts the
 * next epoch (0, 1, 2, …); {@link #epoch(int)} replays a given one. The last partial batch is kept
 * unless {@link Builder#dropLast(boolean)} drops it.
 *
 * <p>Layouts ({@link Layout}) of a batch of {@code B} samples from images [n, rows, cols], with
 * {@code D = rows·cols}: {@code IMAGES} [B, 1, rows, cols], {@code FLAT} [B, D], {@code SEQUENCE}
 * [B, D, 1] (batch-first; step {@code t} is one pixel). Pixels are taken in row-major order, or, with
 * {@link Builder#pixelPermutation(long)}, through one fixed permutation {@code perm} for the whole
 * dataset (permuted MNIST): flattened element {@code t} of a sample is pixel {@code perm[t]} of the
 * image.
 *
 * <p>Resuming: {@link #state()} says where the stream of batches stands (the epoch in progress and the
 * batches of it already handed out, or the next epoch to start) together with what fixes the order
 * (sample count, batch size, shuffling and its seed, drop-last); a loader built the same way in another
 * process continues from there after {@link #loadState(State)}: its next {@link #iterator()} resumes that
 * epoch at that batch, so a run restored from a checkpoint sees exactly the batches the uninterrupted
 * run would have seen.
 *
 * <p>Buffers and lifetime: the loader owns one input buffer and one label buffer and refills them for
 * every batch, so a {@link Batch} is valid only until the next batch is produced (copy what must live
 * longer) or the loader is closed. Starting a new iteration invalidates the previous iterator (it then
 * throws {@link ConcurrentModificationException}). The images are not copied and stay owned by the
 * caller; they must outlive the loader. Not thread-safe.
 */
public final class DataLoader implements Iterable<DataLoader.Batch>, AutoCloseable {

    /** The shape of a batch's inputs. */
    public enum Layout {
        /** [B, 1, rows, cols], for convolutional networks. */
        IMAGES,
        /** [B, rows·cols], for fully connected networks. */
        FLAT,
        /** [B, rows·cols, 1], batch-first pixel sequences for recurrent networks. */
        SEQUENCE
    }

    /**
     * One batch: {@code inputs} in the loader's layout and dtype, {@code labels} an I32 array [size];
     * both are views of the loader's buffers, valid until the next batch. {@code index} counts batches
     * within the epoch.
     *
     * @param inputs the samples, [size, ...] in the loader's {@link Layout}; a view of the loader's buffer
     * @param labels the class of each sample, I32 [size]; a view of the loader's buffer
     * @param size number of samples in this batch; the batch size, or fewer for a last partial batch
     * @param index the batch's position within its epoch, from 0
     * @param epoch the epoch the batch belongs to, from 0
     */
    public record Batch(NdArray inputs, NdArray labels, int size, int index, int epoch) {
        /**
         * The labels copied into a new int array.
         *
         * @return a new array of length {@code size}, valid after the batch is
         */
        public int[] labelArray() {
            return labels.toIntArray();
        }
    }

    private final NdArray images;
    private final int[] labels;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Layout layout;
    private final int[] pixelPerm; // null: row-major
    private final int rows;
    private final int cols;
    private final int sampleSize;
    private final NdArray inputBuffer;
    private final NdArray labelBuffer;
    private int nextEpoch;
    private int resumeBatch; // first batch of the next iterator() (set by loadState)
    private long generation;
    private int liveEpoch = -1; // epoch of the newest iterator, -1 before the first
    private int delivered; // batches the newest iterator has handed out (its next index)
    private boolean closed;

    private DataLoader(Builder b) {
        NdArray x = b.images;
        if (x.rank() != 3) {
            throw new IllegalArgumentException("images must have shape [n, rows, cols], got " + x.shape());
        }
        if (x.dtype() == Dtype.I32) {
            throw new IllegalArgumentException("images must be F32 or F64, got " + x.dtype());
        }
        if (!x.isContiguous()) {
            throw new IllegalArgumentException("images " + x.shape() + " must be contiguous (pass a copy())");
        }
        if (!x.isOpen()) {
            throw new IllegalStateException("images " + x.shape() + " are closed");
        }
        if (x.dim(0) != b.labels.length) {
            throw new IllegalArgumentException("images " + x.shape() + " and " + b.labels.length
                    + " labels differ in count");
        }
        if (b.batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + b.batchSize);
        }
        this.images = x;
        this.labels = b.labels.clone();
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.layout = b.layout;
        this.rows = x.dim(1);
        this.cols = x.dim(2);
        this.sampleSize = Math.multiplyExact(rows, cols);
        this.pixelPerm = b.permute ? Permutations.random(sampleSize, b.permutationSeed) : null;
        int bufferRows = Math.min(batchSize, Math.max(labels.length, 1));
        this.inputBuffer = switch (layout) {
            case IMAGES -> NdArray.zeros(x.dtype(), bufferRows, 1, rows, cols);
            case FLAT -> NdArray.zeros(x.dtype(), bufferRows, sampleSize);
            case SEQUENCE -> NdArray.zeros(x.dtype(), bufferRows, sampleSize, 1);
        };
        this.labelBuffer = NdArray.zeros(Dtype.I32, bufferRows);
    }

    /**
     * A builder over {@code images} [n, rows, cols] (F32 or F64, contiguous) and their labels.
     *
     * @param images the images [n, rows, cols]; not copied, must outlive the loader
     * @param labels the class of each image; length n
     * @return a new builder with the defaults
     */
    public static Builder builder(NdArray images, int[] labels) {
        java.util.Objects.requireNonNull(images, "images");
        java.util.Objects.requireNonNull(labels, "labels");
        return new Builder(images, labels);
    }

    /**
     * A builder over a dataset's images and labels.
     *
     * @param data the dataset; its images must outlive the loader
     * @return a new builder with the defaults
     */
    public static Builder builder(ImageDataset data) {
        java.util.Objects.requireNonNull(data, "data");
        return new Builder(data.images(), data.labels());
    }

    /**
     * Number of samples.
     *
     * @return the dataset's sample count n
     */
    public int size() {
        return labels.length;
    }

    /**
     * Batches per epoch.
     *
     * @return ⌈n / batch size⌉, or ⌊n / batch size⌋ with drop-last
     */
    public int batchesPerEpoch() {
        return dropLast ? labels.length / batchSize : (labels.length + batchSize - 1) / batchSize;
    }

    /**
     * The configured number of samples per batch (a last partial batch may hold fewer).
     *
     * @return the configured batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The shape of a batch's inputs.
     *
     * @return the layout
     */
    public Layout layout() {
        return layout;
    }

    /**
     * A copy of the pixel permutation, or null when pixels are taken in row-major order.
     *
     * @return a new array of length rows·cols, or {@code null}
     */
    public int[] pixelPermutation() {
        return pixelPerm == null ? null : pixelPerm.clone();
    }

    /**
     * The sample order of epoch {@code epoch} (identity without shuffling).
     *
     * @param epoch the epoch; >= 0
     * @return a new array: the sample indices in the order the epoch visits them
     */
    public int[] order(int epoch) {
        if (!shuffle) {
            return identity(labels.length);
        }
        return Permutations.random(labels.length, epochSeed(epoch));
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Mixes the epoch into the seed so epochs are decorrelated yet each is reproducible on its own. */
    private long epochSeed(int epoch) {
        SplitMix64 m = new SplitMix64(seed ^ (0xD1B54A32D192ED03L * (epoch + 1L)));
        return m.nextLong();
    }

    /**
     * Starts the next epoch (or, right after {@link #loadState}, resumes the saved epoch at the saved
     * batch); invalidates any earlier iterator.
     */
    @Override
    public Iterator<Batch> iterator() {
        int from = resumeBatch;
        resumeBatch = 0;
        return epoch(nextEpoch++, from);
    }

    /**
     * Iterates epoch {@code epoch} (its order is fixed by the seed); invalidates any earlier iterator.
     *
     * @param epoch the epoch; >= 0
     * @return an iterator over that epoch's batches
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public Iterator<Batch> epoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        return epoch(epoch, 0);
    }

    private Iterator<Batch> epoch(int epoch, int from) {
        ensureOpen();
        long gen = ++generation;
        int[] order = order(epoch);
        int batches = batchesPerEpoch();
        liveEpoch = epoch;
        delivered = from;
        return new Iterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                check();
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
                }
                int start = next * batchSize;
                int b = Math.min(batchSize, order.length - start);
                fill(order, start, b);
                NdArray in = b == inputBuffer.dim(0) ? inputBuffer.view() : inputBuffer.slice(0, 0, b);
                NdArray lab = b == labelBuffer.dim(0) ? labelBuffer.view() : labelBuffer.slice(0, 0, b);
                delivered = next + 1;
                return new Batch(in, lab, b, next++, epoch);
            }

            private void check() {
                ensureOpen();
                if (generation != gen) {
                    throw new ConcurrentModificationException(
                            "a newer iteration of this DataLoader has taken over its batch buffers");
                }
            }
        };
    }

    // ---------------------------------------------------------------- resuming

    /**
     * A loader's position in its stream of batches and the settings that fix its order. {@code epoch}
     * and {@code batch}: the next batch the stream yields is batch {@code batch} of epoch {@code epoch}
     * (0 ≤ batch &lt; batches per epoch). The other fields must match the loader the state is loaded into.
     *
     * @param epoch the epoch of the next batch, from 0
     * @param batch the index of the next batch within that epoch
     * @param samples the dataset's sample count
     * @param batchSize the batch size
     * @param shuffle whether epochs are shuffled
     * @param seed the shuffling seed (meaningful with {@code shuffle})
     * @param dropLast whether a last partial batch is dropped
     */
    public record State(int epoch, int batch, int samples, int batchSize, boolean shuffle, long seed,
                        boolean dropLast) {
    }

    /**
     * Where the stream stands: inside the newest iterator's epoch if it has batches left (the epoch and
     * the number it handed out), else at the start of the epoch the next {@link #iterator()} begins.
     *
     * @return the current position and order settings
     */
    public State state() {
        int epoch;
        int batch;
        if (resumeBatch > 0 || liveEpoch < 0 || delivered >= batchesPerEpoch()) {
            epoch = nextEpoch;
            batch = resumeBatch;
        } else {
            epoch = liveEpoch;
            batch = delivered;
        }
        return new State(epoch, batch, labels.length, batchSize, shuffle, shuffle ? seed : 0, dropLast);
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first field of {@code s} that does not fit this
     * loader (a different sample count, batch size, shuffling, seed or drop-last, or a position outside
     * the epoch); changes nothing.
     *
     * @param s a state from {@link #state()}, possibly of another process
     * @throws IllegalArgumentException if {@code s} does not fit this loader
     */
    public void checkState(State s) {
        java.util.Objects.requireNonNull(s, "state");
        State mine = state();
        if (s.samples() != mine.samples()) {
            throw new IllegalArgumentException("state is for " + s.samples() + " samples, the loader has " + mine.samples());
        }
        if (s.batchSize() != batchSize) {
            throw new IllegalArgumentException("state has batch size " + s.batchSize() + ", the loader " + batchSize);
        }
        if (s.shuffle() != shuffle || s.seed() != mine.seed()) {
            throw new IllegalArgumentException("state has shuffle " + s.shuffle() + " with seed " + s.seed()
                    + ", the loader shuffle " + shuffle + " with seed " + mine.seed());
        }
        if (s.dropLast() != dropLast) {
            throw new IllegalArgumentException("state has dropLast " + s.dropLast() + ", the loader " + dropLast);
        }
        if (s.epoch() < 0 || s.batch() < 0 || s.batch() >= Math.max(1, batchesPerEpoch())) {
            throw new IllegalArgumentException("state position epoch " + s.epoch() + ", batch " + s.batch()
                    + " is outside [0, " + batchesPerEpoch() + ") batches per epoch");
        }
    }

    /**
     * Continues from {@code s} (see {@link #checkState}): the next {@link #iterator()} yields epoch
     * {@code s.epoch()} from batch {@code s.batch()} on, and later ones the epochs after it. Invalidates
     * any iterator in progress.
     *
     * @param s a state from {@link #state()}
     * @throws IllegalArgumentException if {@code s} does not fit this loader (see {@link #checkState})
     */
    public void loadState(State s) {
        checkState(s);
        ensureOpen();
        generation++;
        liveEpoch = -1;
        delivered = 0;
        nextEpoch = s.epoch();
        resumeBatch = s.batch();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("DataLoader is closed");
        }
    }

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    /** Copies samples {@code order[start … start+b)} into rows 0 … b-1 of the buffers. */
    private void fill(int[] order, int start, int b) {
        MemorySegment src = images.segment();
        MemorySegment dst = inputBuffer.segment();
        MemorySegment lab = labelBuffer.segment();
        long es = images.dtype().byteSize();
        boolean f32 = images.dtype() == Dtype.F32;
        for (int k = 0; k < b; k++) {
            int sample = order[start + k];
            long srcBase = images.offset() + (long) sample * sampleSize;
            long dstBase = (long) k * sampleSize;
            if (pixelPerm == null) {
                MemorySegment.copy(src, srcBase * es, dst, dstBase * es, sampleSize * es);
            } else if (f32) {
                for (int t = 0; t < sampleSize; t++) {
                    dst.setAtIndex(F, dstBase + t, src.getAtIndex(F, srcBase + pixelPerm[t]));
                }
            } else {
                for (int t = 0; t < sampleSize; t++) {
                    dst.setAtIndex(D, dstBase + t, src.getAtIndex(D, srcBase + pixelPerm[t]));
                }
            }
            lab.setAtIndex(I, k, labels[sample]);
        }
    }

    /** Frees the batch buffers (not the images). Idempotent; batches handed out become invalid. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inputBuffer.close();
            labelBuffer.close();
        }
    }

    /** Options for a {@link DataLoader}; defaults: batch 64, no shuffling, keep the last batch, IMAGES. */
    public static final class Builder {
        private final NdArray images;
        private final int[] labels;
        private int batchSize = 64;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private Layout layout = Layout.IMAGES;
        private boolean permute;
        private long permutationSeed;

        private Builder(NdArray images, int[] labels) {
            this.images = images;
            this.labels = labels;
        }

        /**
         * Sets the number of samples per batch (default 64).
         *
         * @param b samples per batch; >= 1
         * @return this builder
         */
        public Builder batchSize(int b) {
            this.batchSize = b;
            return this;
        }

        /**
         * Shuffles every epoch with an order determined by {@code seed} and the epoch number.
         *
         * @param seed the shuffling seed
         * @return this builder
         */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /**
         * Whether to drop a last batch smaller than the batch size.
         *
         * @param drop true to drop it (default false)
         * @return this builder
         */
        public Builder dropLast(boolean drop) {
            this.dropLast = drop;
            return this;
        }

        /**
         * Sets the shape of a batch's inputs (default {@link Layout#IMAGES}).
         *
         * @param l the layout
         * @return this builder
         */
        public Builder layout(Layout l) {
            this.layout = java.util.Objects.requireNonNull(l, "layout");
            return this;
        }

        /**
         * Takes pixels through one fixed permutation determined by {@code seed} (permuted MNIST).
         *
         * @param seed the permutation's seed
         * @return this builder
         */
        public Builder pixelPermutation(long seed) {
            this.permute = true;
            this.permutationSeed = seed;
            return this;
        }

        /**
         * Builds the loader.
         *
         * @return a new loader the caller closes (it owns its batch buffers)
         * @throws IllegalArgumentException if the images, labels or options do not fit together
         */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
