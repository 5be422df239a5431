package org.inertia.nn.autograd;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.inertia.kernels.NdArray;

/**
 * The safety net for op results that no {@link TensorScope} owns, in the manner of Netty's leak detector:
 * it counts the off-heap bytes of such tensors that are still open, records the creation site of one in
 * {@value #DEFAULT_SAMPLING} (a stack walk only for those), and once the open bytes pass a threshold logs one
 * warning that names a recorded creation site and the fix; then again each time the total doubles.
 *
 * <p>Why tracking and not reclamation (a {@code Cleaner} freeing what the garbage collector finds
 * unreachable): a kernel may still be reading a buffer whose array is no longer referenced (the JIT may
 * drop the reference before the kernel finishes), and a pooled block freed then would be handed to the
 * next allocation while it is being read. A warning changes no behaviour and points at the line to fix.
 *
 * <p>Cost: nothing for tensors made inside a scope; for the others two atomic additions at creation and
 * one at close, plus a short stack walk for one in {@value #DEFAULT_SAMPLING}. {@code AutogradOverheadBenchmark}
 * (ops in a scope) and an unscoped add + close loop, each run before and after this class existed, back
 * to back on a loaded 2-core machine, showed no difference above the noise (README, "Memory"). Settings (system properties,
 * read once): {@value #THRESHOLD_PROPERTY} = bytes before the first warning (default 256 MiB; 0 turns the
 * detector off) and {@value #SAMPLING_PROPERTY} = record one creation site in N (default
 * {@value #DEFAULT_SAMPLING}; 1 records every one).
 */
final class LeakDetector {
    static final String THRESHOLD_PROPERTY = "inertia.leaks.threshold";
    static final String SAMPLING_PROPERTY = "inertia.leaks.sampling";
    static final int DEFAULT_SAMPLING = 64;
    private static final long DEFAULT_THRESHOLD = 256L << 20;
    private static final int KEPT_SAMPLES = 16;
    private static final int SITE_FRAMES = 4;
    private static final System.Logger LOG = System.getLogger(TensorScope.class.getName());

    private static final long THRESHOLD = Long.getLong(THRESHOLD_PROPERTY, DEFAULT_THRESHOLD);
    private static final int SAMPLING = Math.max(1, Integer.getInteger(SAMPLING_PROPERTY, DEFAULT_SAMPLING));

    private static final AtomicLong OPEN_BYTES = new AtomicLong();
    private static final AtomicLong OPEN_COUNT = new AtomicLong();
    private static final AtomicLong CREATED = new AtomicLong();
    private static volatile long nextWarning = THRESHOLD;
    private static final Deque<Sample> SAMPLES = new ArrayDeque<>(); // guarded by LeakDetector.class
    private static volatile java.util.function.Consumer<String> sink = m -> LOG.log(System.Logger.Level.WARNING, m);

    /** A recorded creation site of a tensor that was open when last looked at. */
    private record Sample(WeakReference<Tensor> tensor, String site) {
    }

    private LeakDetector() {
    }

    /**
     * Starts tracking {@code t}, an op result that no scope owns; returns the bytes charged to it (0 when
     * its data is a view of another tensor's storage, or the detector is off), which {@link #closed} gives
     * back.
     */
    static long track(Tensor t, NdArray data) {
        if (THRESHOLD <= 0 || !data.ownsStorage()) {
            return 0;
        }
        long bytes = Math.max(1, data.numel() * data.dtype().byteSize());
        long open = OPEN_BYTES.addAndGet(bytes);
        OPEN_COUNT.incrementAndGet();
        if (CREATED.incrementAndGet() % SAMPLING == 0) {
            sample(t);
        }
        if (open >= nextWarning) {
            warn(open);
        }
        return bytes;
    }

    /** {@code t}, charged {@code bytes} by {@link #track}, was closed. */
    static void closed(Tensor t, long bytes, boolean sampled) {
        OPEN_BYTES.addAndGet(-bytes);
        OPEN_COUNT.decrementAndGet();
        if (sampled) {
            synchronized (LeakDetector.class) {
                SAMPLES.removeIf(s -> s.tensor().get() == t);
            }
        }
    }

    /** Off-heap bytes held by open op results that no scope owns (for tests and diagnostics). */
    static long openBytes() {
        return OPEN_BYTES.get();
    }

    /** Sends warnings to {@code to} instead of the {@link System.Logger} (tests); returns the previous sink. */
    static java.util.function.Consumer<String> redirect(java.util.function.Consumer<String> to) {
        var old = sink;
        sink = to;
        return old;
    }

    /** Sets the threshold of the next warning (tests); returns the old one. */
    static long resetWarning(long next) {
        long old = nextWarning;
        nextWarning = next;
        return old;
    }

    private static void sample(Tensor t) {
        String site = creationSite();
        t.markLeakSampled();
        synchronized (LeakDetector.class) {
            if (SAMPLES.size() == KEPT_SAMPLES) {
                SAMPLES.removeFirst();
            }
            SAMPLES.addLast(new Sample(new WeakReference<>(t), site));
        }
    }

    /**
     * The first few frames outside the nn and kernels libraries (classes loaded from another code source than
     * theirs): where the user's code made the op.
     */
    static String creationSite() {
        List<String> frames = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(s -> s
                .filter(f -> !isLibrary(f.getDeclaringClass()))
                .limit(SITE_FRAMES)
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .toList());
        return frames.isEmpty() ? "(inside Inertia)" : String.join(" <- ", frames);
    }

    private static final java.security.CodeSource NN = Tensor.class.getProtectionDomain().getCodeSource();
    private static final java.security.CodeSource KERNELS = NdArray.class.getProtectionDomain().getCodeSource();

    private static boolean isLibrary(Class<?> c) {
        java.security.CodeSource src = c.getProtectionDomain().getCodeSource();
        return src != null && (src.equals(NN) || src.equals(KERNELS));
    }

    private static void warn(long open) {
        String site;
        synchronized (LeakDetector.class) {
            if (open < nextWarning) {
                return; // another thread warned meanwhile
            }
            nextWarning = Math.max(open, nextWarning) * 2;
            site = bestSite();
        }
        sink.accept(message(open, OPEN_COUNT.get(), site));
    }

    /** The site of a sampled tensor the collector found unreachable while open (a sure leak), else the newest. */
    private static String bestSite() {
        String newest = null;
        for (Iterator<Sample> it = SAMPLES.descendingIterator(); it.hasNext(); ) {
            Sample s = it.next();
            if (s.tensor().get() == null) {
                return s.site() + " (this one was garbage-collected without close(): leaked)";
            }
            if (newest == null) {
                newest = s.site();
            }
        }
        return newest;
    }

    static String message(long bytes, long count, String site) {
        return String.format(Locale.ROOT, "Inertia: %.0f MiB of off-heap memory is held by %,d tensors that ops made "
                + "outside any TensorScope and that were never closed; off-heap memory is not freed by the garbage "
                + "collector, so this grows until the process runs out. %s Fix: wrap each training or evaluation step "
                + "in try (var step = TensorScope.open()) { ... } (keep(tensor) moves a result out), or close() the "
                + "results yourself. -D%s=BYTES moves this warning (0 turns it off).",
                bytes / 1048576.0, count, site == null ? "(Creation sites are recorded for one tensor in " + SAMPLING
                        + "; none yet.)" : "One was made at " + site + ".", THRESHOLD_PROPERTY);
    }
}
