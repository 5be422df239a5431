package org.inertia.kernels.cpu;

import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The fixed pool of worker threads that multi-threaded kernels share. Its size is the system property
 * {@code inertia.threads} (default: all available processors), read once. Threads are created when the
 * pool is, never per call; they are daemons, so the pool never keeps a JVM alive.
 *
 * <p>{@link #parallelFor} hands out task indices dynamically; the calling thread works too. A call made
 * from inside a task (on a pool worker or on the calling thread) runs its tasks inline, so nested
 * parallel kernels neither deadlock nor wait for a worker that is busy with the outer call. Several
 * application threads may call it at once (each call's tasks are its own). Which thread runs a task
 * never changes a result: kernels give each task a fixed slice of the work.
 *
 * <p>{@link #shutdown()} stops the workers once the calls in progress are done; calls after it (or
 * racing with it) run on the caller alone, with the same results.
 */
public final class KernelPool {
    private static final KernelPool INSTANCE = new KernelPool(configuredThreads());

    /** Set while the calling thread of a parallelFor runs tasks: a nested call then runs inline. */
    private static final ThreadLocal<Boolean> IN_TASK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final int threads;
    private final ForkJoinPool pool; // null when single-threaded

    private KernelPool(int threads) {
        this.threads = threads;
        if (threads > 1) {
            AtomicInteger n = new AtomicInteger();
            this.pool = new ForkJoinPool(threads - 1, p -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setName("inertia-kernel-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, null, false);
        } else {
            this.pool = null;
        }
    }

    private static int configuredThreads() {
        String v = System.getProperty("inertia.threads");
        int cores = Runtime.getRuntime().availableProcessors();
        if (v == null || v.isBlank()) {
            return cores;
        }
        int t;
        try {
            t = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property inertia.threads must be an integer, got '" + v + "'");
        }
        if (t < 1) {
            throw new IllegalArgumentException("system property inertia.threads must be >= 1, got " + t);
        }
        return t;
    }

    /** The process-wide pool. */
    public static KernelPool get() {
        return INSTANCE;
    }

    /**
     * An independent pool of {@code threads} threads (the caller included), for work that must not share
     * the process-wide pool, or tests; {@link #shutdown()} it when done.
     */
    public static KernelPool create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new KernelPool(threads);
    }

    /** Threads that work on a parallel call, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool, and returns when all
     * are done. The first exception thrown by a task is rethrown here.
     */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (pool == null || tasks == 1 || pool.isShutdown() || IN_TASK.get()
                || Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        int helpers = Math.min(threads, tasks) - 1;
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] submitted = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            try {
                submitted[h] = pool.submit(worker);
            } catch (RejectedExecutionException shutDownMeanwhile) {
                break; // the caller's worker takes the remaining tasks
            }
        }
        RuntimeException failure = null;
        IN_TASK.set(true); // the caller works on tasks too: kernels it calls from them run inline
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            next.set(tasks); // stop handing out work
            failure = e instanceof RuntimeException re ? re : new RuntimeException(e);
        } finally {
            IN_TASK.set(false);
        }
        for (ForkJoinTask<?> t : submitted) {
            if (t == null) {
                continue;
            }
            try {
                t.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Stops the worker threads after the calls in progress; later parallel calls run on the caller alone.
     * Idempotent.
     */
    public void shutdown() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** Whether every worker has stopped after {@link #shutdown()} (always true for a one-thread pool). */
    public boolean isTerminated() {
        return pool == null || pool.isTerminated();
    }

    /** Waits up to {@code timeout} for the workers to stop after {@link #shutdown()}; whether they have. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return pool == null || pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
