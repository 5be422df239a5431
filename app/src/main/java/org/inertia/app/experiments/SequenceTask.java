package org.inertia.app.experiments;

import java.util.Iterator;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.data.CopyTaskBatch;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.data.ImageDataset;

/**
 * A sequence task read out at some time steps: batches of inputs x [B, T, I] and, for each readout step
 * t_r, one class label per sequence. The loss is the mean over readout steps of the cross-entropy of
 * head(h_{t_r}) against the labels. Pixel tasks read out at the last step only (classify from the last
 * h); the copying task at its last K steps.
 */
public interface SequenceTask extends AutoCloseable {
    /** A batch: inputs [B, T, I] (valid until the next batch) and labels[r][b] for readout step r. */
    record Batch(NdArray inputs, int[][] labels) {
        public int size() {
            return inputs.dim(0);
        }
    }

    int inputSize();

    int classes();

    int length();

    /** The time steps (0-based) read out by the loss, ascending. */
    int[] readoutSteps();

    /** The next training batch. */
    Batch next();

    /** Held-out batches for evaluation (each valid until the next). */
    Iterable<Batch> heldOut();

    @Override
    default void close() {
    }

    /** Pixel-by-pixel classification of images (optionally through one fixed pixel permutation). */
    static SequenceTask pixels(ImageDataset train, ImageDataset test, int batch, boolean permuted, long seed) {
        return new SequenceTask() {
            private final DataLoader trainLoader = loader(train, batch, seed, true);
            private final DataLoader testLoader = loader(test, 500, seed, false);
            private Iterator<DataLoader.Batch> epoch = trainLoader.iterator();
            private final int length = train.images().dim(1) * train.images().dim(2);

            private DataLoader loader(ImageDataset d, int b, long s, boolean shuffle) {
                DataLoader.Builder builder = DataLoader.builder(d).batchSize(b).layout(DataLoader.Layout.SEQUENCE);
                if (shuffle) {
                    builder.shuffle(s).dropLast(d.size() >= b);
                }
                if (permuted) {
                    builder.pixelPermutation(s ^ 0x9E3779B97F4A7C15L);
                }
                return builder.build();
            }

            @Override
            public int inputSize() {
                return 1;
            }

            @Override
            public int classes() {
                return 10;
            }

            @Override
            public int length() {
                return length;
            }

            @Override
            public int[] readoutSteps() {
                return new int[] {length - 1};
            }

            @Override
            public Batch next() {
                if (!epoch.hasNext()) {
                    epoch = trainLoader.iterator();
                }
                DataLoader.Batch b = epoch.next();
                return new Batch(b.inputs(), new int[][] {b.labelArray()});
            }

            @Override
            public Iterable<Batch> heldOut() {
                return () -> {
                    Iterator<DataLoader.Batch> it = testLoader.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Batch next() {
                            DataLoader.Batch b = it.next();
                            return new Batch(b.inputs(), new int[][] {b.labelArray()});
                        }
                    };
                };
            }

            @Override
            public void close() {
                trainLoader.close();
                testLoader.close();
            }
        };
    }

    /**
     * The copying task: K symbols of an alphabet, {@code delay} blanks, a "go" marker, then the K symbols
     * are to be output at the last K steps ({@link CopyTaskBatch}). Held out: {@code heldOutBatches} fresh
     * batches from a separate generator.
     */
    static SequenceTask copying(int alphabet, int k, int delay, int batch, int heldOutBatches, long seed) {
        return new SequenceTask() {
            private final Random train = new Random(seed);
            private CopyTaskBatch current;

            @Override
            public int inputSize() {
                return alphabet + 2;
            }

            @Override
            public int classes() {
                return alphabet;
            }

            @Override
            public int length() {
                return 2 * k + delay;
            }

            @Override
            public int[] readoutSteps() {
                int[] r = new int[k];
                for (int i = 0; i < k; i++) {
                    r[i] = k + delay + i;
                }
                return r;
            }

            @Override
            public Batch next() {
                return wrap(CopyTaskBatch.sample(train, Dtype.F32, batch, alphabet, k, delay));
            }

            private Batch wrap(CopyTaskBatch b) {
                if (current != null) {
                    current.close();
                }
                current = b;
                int n = b.inputs().dim(0);
                int[][] labels = new int[k][n];
                for (int s = 0; s < n; s++) {
                    for (int t = 0; t < k; t++) {
                        for (int a = 0; a < alphabet; a++) {
                            if (b.targets().get(s * k + t, a) != 0) {
                                labels[t][s] = a;
                            }
                        }
                    }
                }
                return new Batch(b.inputs(), labels);
            }

            @Override
            public Iterable<Batch> heldOut() {
                return () -> new Iterator<>() {
                    private final Random r = new Random(~seed);
                    private int done;

                    @Override
                    public boolean hasNext() {
                        return done < heldOutBatches;
                    }

                    @Override
                    public Batch next() {
                        done++;
                        return wrap(CopyTaskBatch.sample(r, Dtype.F32, batch, alphabet, k, delay));
                    }
                };
            }

            @Override
            public void close() {
                if (current != null) {
                    current.close();
                    current = null;
                }
            }
        };
    }
}
