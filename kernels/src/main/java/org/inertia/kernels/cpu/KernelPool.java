package org.inertia.kernels.cpu;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The fixed pool of worker threads that multi-threaded kernels share. Its size is the system property
 * {@code inertia.threads} (default: all available processors), read once. Threads are created when the
 * pool is, never per call; they are daemons, so the pool never keeps a JVM alive.
 *
 * <p>{@link #parallelFor} hands out task indices dynamically; the calling thread works too. A call made
 * from inside a task (on a pool worker or on the calling thread) runs its tasks inline, so nested
 * parallel kernels neither deadlock nor wait for a worker that is busy with the outer call. Several
 * application threads may call it at once: one call at a time has the workers, and a call that finds
 * them busy runs its tasks on its own thread. Which thread runs a task never changes a result: kernels
 * give each task a fixed slice of the work.
 *
 * <p>Idle workers spin for {@code inertia.threads.spinMicros} microseconds (default 200) before they park,
 * as OpenMP runtimes do (libgomp's {@code GOMP_SPINCOUNT}): a training step makes hundreds of parallel
 * calls with a little serial work between them, and waking a parked thread costs 50-100 µs on a VM,
 * more than many of those calls. 0 parks at once.
 *
 * <p>{@link #setThreads(int)} lowers (or raises again, up to the pool's size) how many threads later calls
 * use, as {@code torch.set_num_threads} does: the workers beyond it take no tasks. This lets one JVM time
 * the same work at 1 and 2 threads by turns, so that a host whose speed drifts from minute to minute
 * slows both alike (bench's {@code MlpScaling}).
 *
 * <p>{@link #shutdown()} stops the workers once the calls in progress are done; calls after it (or
 * racing with it) run on the caller alone, with the same results.
 */
public final class KernelPool {
    /** Set while the calling thread of a parallelFor runs tasks: a nested call then runs inline. */
    private static final ThreadLocal<Boolean> IN_TASK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private static final long SPIN_NANOS = spinNanos();
    /** Posted after each call: no tasks. */
    private static final Job IDLE = new Job(0, 0, i -> { }, null);
    private static final KernelPool INSTANCE = new KernelPool(configuredThreads());

    private final int threads;
    private final Worker[] workers; // threads − 1 of them: the caller is the other
    /** Threads that later calls use, the caller included: 1 to {@code threads}. */
    private volatile int active;
    /** Held by the call that has the workers. */
    private final ReentrantLock calling = new ReentrantLock();
    /** The latest call's tasks; workers take from it until it runs out. */
    private volatile Job posted;
    private volatile boolean shutdown;

    /**
     * One parallelFor's tasks: indices handed out by {@code next}, completions counted in {@code done};
     * workers 1 to {@code helpers} take part.
     */
    private static final class Job {
        final int tasks;
        final int helpers;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final Thread caller;
        volatile Throwable failure;
        volatile boolean callerParked;

        Job(int tasks, int helpers, IntConsumer body, Thread caller) {
            this.tasks = tasks;
            this.helpers = helpers;
            this.body = body;
            this.caller = caller;
        }

        /** Takes and runs tasks until none is left. After a failure the rest are counted, not run. */
        void work() {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        body.accept(i);
                    }
                } catch (Throwable e) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                } finally {
                    if (done.incrementAndGet() == tasks && callerParked) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }

    private final class Worker extends Thread {
        /** 1 for the first worker: the caller is thread 0. */
        private final int index;

        Worker(int index) {
            super("inertia-kernel-" + index);
            this.index = index;
            setDaemon(true);
        }

        KernelPool owner() {
            return KernelPool.this;
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                Job job = awaitJob(seen);
                if (job == null) {
                    return; // shut down
                }
                seen = job;
                job.work();
            }
        }

        /** The next job after {@code seen}: spins for a while, then parks until a call unparks it. */
        private Job awaitJob(Job seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job job = posted;
                if (job != seen && job != null) {
                    if (index <= job.helpers) {
                        return job;
                    }
                    seen = job; // a call that uses fewer threads: not this worker's
                }
                if (shutdown) {
                    return null;
                }
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(KernelPool.this);
                }
            }
        }
    }

    private KernelPool(int threads) {
        this.threads = threads;
        this.active = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    private static long spinNanos() {
        String v = System.getProperty("inertia.threads.spinMicros");
        if (v == null || v.isBlank()) {
            return 200_000;
        }
        try {
            long us = Long.parseLong(v.trim());
            if (us >= 0) {
                return us * 1000;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property inertia.threads.spinMicros must be an integer >= 0, got '"
                + v + "'");
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

    /**
     * The process-wide pool.
     *
     * @return the shared pool
     */
    public static KernelPool get() {
        return INSTANCE;
    }

    /**
     * An independent pool of {@code threads} threads (the caller included), for work that must not share
     * the process-wide pool, or tests; {@link #shutdown()} it when done.
     *
     * @param threads the thread count, the caller included; >= 1
     * @return the new pool
     */
    public static KernelPool create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new KernelPool(threads);
    }

    /**
     * Threads that work on a parallel call, the caller included: the pool's size unless
     * {@link #setThreads(int)} lowered it.
     *
     * @return the thread count; >= 1
     */
    public int threads() {
        return active;
    }

    /**
     * The pool's size, fixed when it is created ({@code inertia.threads} for the shared pool): the most
     * threads {@link #setThreads(int)} accepts.
     *
     * @return the thread count the pool was created with; >= 1
     */
    public int maxThreads() {
        return threads;
    }

    /**
     * Sets how many threads later parallel calls use, the caller included, like PyTorch's
     * {@code torch.set_num_threads}; the pool's other workers stay idle. Calls already running keep the
     * count they started with. Results do not change with the count: kernels fix the order of every sum
     * independently of how the work is split (README, "Determinism").
     *
     * @param count the thread count; 1 to {@link #maxThreads()}
     * @throws IllegalArgumentException if {@code count} is outside [1, maxThreads()]
     */
    public void setThreads(int count) {
        if (count < 1 || count > threads) {
            throw new IllegalArgumentException("count must be in [1, " + threads + "] (the pool's size, inertia.threads), got "
                    + count);
        }
        active = count;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool, and returns when all
     * are done. The first exception thrown by a task is rethrown here (the tasks not yet started then do
     * not run).
     *
     * @param tasks the number of tasks; nothing runs when it is 0 or less
     * @param body the task for each index; must be safe to run concurrently with the others
     */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        int helpers = active - 1;
        if (helpers == 0 || tasks == 1 || shutdown || IN_TASK.get()
                || Thread.currentThread() instanceof Worker w && w.owner() == this || !calling.tryLock()) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        Job job = new Job(tasks, helpers, body, Thread.currentThread());
        try {
            posted = job;
            for (int w = 0; w < helpers; w++) {
                LockSupport.unpark(workers[w]);
            }
            IN_TASK.set(true); // the caller works on tasks too: kernels it calls from them run inline
            try {
                job.work();
            } finally {
                IN_TASK.set(false);
            }
            awaitDone(job);
        } finally {
            posted = IDLE; // let go of the body and what it captured

            calling.unlock();
        }
        Throwable failure = job.failure;
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new RuntimeException(failure);
        }
    }

    /** Waits for the tasks the workers took: spinning first, then parked until the last one unparks it. */
    private static void awaitDone(Job job) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (job.done.get() < job.tasks) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                job.callerParked = true;
                if (job.done.get() < job.tasks) {
                    LockSupport.parkNanos(job, 1_000_000);
                }
            }
        }
    }

    /**
     * Stops the worker threads after the calls in progress; later parallel calls run on the caller alone.
     * Idempotent.
     */
    public void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Whether every worker has stopped after {@link #shutdown()} (always true for a one-thread pool).
     *
     * @return true once every worker has stopped
     */
    public boolean isTerminated() {
        for (Worker w : workers) {
            if (w.isAlive()) {
                return false;
            }
        }
        return shutdown || workers.length == 0;
    }

    /**
     * Waits up to {@code timeout} for the workers to stop after {@link #shutdown()}; whether they have.
     *
     * @param timeout the longest time to wait
     * @return true if the workers stopped within the timeout
     * @throws java.lang.InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Worker w : workers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                w.join(Math.max(1, left / 1_000_000));
            }
        }
        return isTerminated();
    }
}
