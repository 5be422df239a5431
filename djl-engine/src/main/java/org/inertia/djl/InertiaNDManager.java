package org.inertia.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DJL's {@link NDManager} for the Inertia engine: creates {@link InertiaNDArray}s in off-heap memory and frees
 * every array (and sub-manager) it holds when it closes.
 */
public sealed class InertiaNDManager extends BaseNDManager permits InertiaNDManager.SystemManager {
    private static final InertiaNDManager SYSTEM = new SystemManager();
    private static volatile SplittableRandom random = new SplittableRandom();
    private static final System.Logger LOG = System.getLogger(InertiaNDManager.class.getName());

    /**
     * The unnamed arrays attached to this manager (those whose uid no one has asked for: most op results), as a
     * doubly linked list through the arrays themselves, guarded by this manager's lock (the one DJL's
     * synchronized attach and detach methods take). They are owned exactly as the entries of DJL's resource map
     * (closed with this manager, detached by {@code detach}, listed by {@link #getManagedArrays}); keeping them
     * out of the map saves building a uid string and two concurrent-map updates per array. An array moves into
     * the map when its uid is made ({@link #named}), so every String-keyed call of DJL's API finds what it names.
     */
    private InertiaNDArray firstListed;
    private int listedCount;

    private InertiaNDManager(NDManager parent, Device device) {
        super(parent, InertiaEngine.checkDevice(device));
    }

    /** The process-wide root manager (never closed); every other manager descends from it. */
    static InertiaNDManager system() {
        return SYSTEM;
    }

    static void seed(long seed) {
        random = new SplittableRandom(seed);
    }

    static synchronized SplittableRandom rng() {
        return random.split();
    }

    @Override
    public ByteBuffer allocateDirect(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    @Override
    public NDArray from(NDArray array) {
        if (array == null || array instanceof InertiaNDArray) {
            return array;
        }
        NDArray result = create(array.toByteBuffer(), array.getShape(), array.getDataType());
        result.setName(array.getName());
        return result;
    }

    @Override
    public InertiaNDArray create(Shape shape, DataType dataType) {
        return zeros(shape, dataType);
    }

    @Override
    public InertiaNDArray create(Buffer data, Shape shape, DataType dataType) {
        InertiaNDArray a = new InertiaNDArray(this, shape, dataType);
        a.set(data);
        return a;
    }

    @Override
    public InertiaNDArray zeros(Shape shape, DataType dataType) {
        return new InertiaNDArray(this, shape, dataType);
    }

    @Override
    public InertiaNDArray ones(Shape shape, DataType dataType) {
        return full(shape, 1f, dataType);
    }

    @Override
    public InertiaNDArray full(Shape shape, float value, DataType dataType) {
        InertiaNDArray a = new InertiaNDArray(this, shape, dataType);
        a.fill(value);
        return a;
    }

    @Override
    public NDArray full(Shape shape, int value) {
        InertiaNDArray a = new InertiaNDArray(this, shape, DataType.INT32);
        a.fill(value);
        return a;
    }

    @Override
    public NDArray arange(int start, int stop, int step, DataType dataType) {
        return arange((float) start, (float) stop, (float) step, dataType);
    }

    @Override
    public InertiaNDArray arange(float start, float stop, float step, DataType dataType) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must not be 0");
        }
        long n = (long) Math.max(0, Math.ceil((stop - start) / (double) step));
        InertiaNDArray a = new InertiaNDArray(this, new Shape(n), dataType);
        for (long i = 0; i < n; i++) {
            Dt.putD(a.seg(), dataType, i, start + i * (double) step);
        }
        return a;
    }

    @Override
    public InertiaNDArray eye(int rows, int cols, int k, DataType dataType) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("eye: rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        InertiaNDArray a = new InertiaNDArray(this, new Shape(rows, cols), dataType);
        for (int i = 0; i < rows; i++) {
            int j = i + k;
            if (j >= 0 && j < cols) {
                Dt.putD(a.seg(), dataType, (long) i * cols + j, 1);
            }
        }
        return a;
    }

    @Override
    public InertiaNDArray linspace(float start, float stop, int num, boolean endpoint) {
        if (num < 0) {
            throw new IllegalArgumentException("linspace: num must be >= 0, got " + num);
        }
        InertiaNDArray a = new InertiaNDArray(this, new Shape(num), DataType.FLOAT32);
        int div = endpoint ? num - 1 : num;
        double step = div > 0 ? (stop - (double) start) / div : 0;
        for (int i = 0; i < num; i++) {
            double v = (endpoint && i == num - 1 && num > 1) ? stop : start + i * step;
            Dt.putD(a.seg(), DataType.FLOAT32, i, v);
        }
        return a;
    }

    @Override
    public InertiaNDArray randomInteger(long low, long high, Shape shape, DataType dataType) {
        if (high <= low) {
            throw new IllegalArgumentException("randomInteger: high (" + high + ") must be > low (" + low + ")");
        }
        InertiaNDArray a = new InertiaNDArray(this, shape, dataType);
        SplittableRandom r = rng();
        for (long i = 0; i < a.size(); i++) {
            Dt.putL(a.seg(), dataType, i, r.nextLong(low, high));
        }
        return a;
    }

    @Override
    public InertiaNDArray randomPermutation(long n) {
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("randomPermutation: n must be in [0, 2^31), got " + n);
        }
        long[] p = new long[(int) n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = rng();
        for (int i = (int) n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return (InertiaNDArray) create(p);
    }

    @Override
    public InertiaNDArray randomUniform(float low, float high, Shape shape, DataType dataType) {
        InertiaNDArray a = new InertiaNDArray(this, shape, Dt.floating("randomUniform", dataType));
        SplittableRandom r = rng();
        for (long i = 0; i < a.size(); i++) {
            Dt.putD(a.seg(), dataType, i, low + (high - (double) low) * r.nextDouble());
        }
        return a;
    }

    @Override
    public InertiaNDArray randomNormal(float loc, float scale, Shape shape, DataType dataType) {
        InertiaNDArray a = new InertiaNDArray(this, shape, Dt.floating("randomNormal", dataType));
        SplittableRandom r = rng();
        for (long i = 0; i < a.size(); i++) {
            Dt.putD(a.seg(), dataType, i, loc + scale * gaussian(r));
        }
        return a;
    }

    @Override
    public InertiaNDArray truncatedNormal(float loc, float scale, Shape shape, DataType dataType) {
        InertiaNDArray a = new InertiaNDArray(this, shape, Dt.floating("truncatedNormal", dataType));
        SplittableRandom r = rng();
        for (long i = 0; i < a.size(); i++) {
            double g;
            do {
                g = gaussian(r);
            } while (Math.abs(g) > 2);
            Dt.putD(a.seg(), dataType, i, loc + scale * g);
        }
        return a;
    }

    /** Draws one sample per parameter element and per element of {@code shape}: output param.shape + shape. */
    private interface Draw {
        double sample(SplittableRandom r, double p, double q);
    }

    private InertiaNDArray sample(String op, NDArray p, NDArray q, Shape shape, Draw draw) {
        InertiaNDArray a = InertiaNDArray.cast(op, "parameter", p);
        InertiaNDArray b = q == null ? null : InertiaNDArray.cast(op, "parameter", q);
        if (b != null && !a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException(op + ": parameters of shapes " + a.getShape() + " and " + b.getShape()
                    + " differ");
        }
        Shape out = a.getShape().addAll(shape);
        InertiaNDArray o = new InertiaNDArray(this, out, DataType.FLOAT32);
        long per = shape.size();
        SplittableRandom r = rng();
        for (long i = 0; i < a.size(); i++) {
            double pv = a.getD(i);
            double qv = b == null ? 0 : b.getD(i);
            for (long j = 0; j < per; j++) {
                Dt.putD(o.seg(), DataType.FLOAT32, i * per + j, draw.sample(r, pv, qv));
            }
        }
        return o;
    }

    @Override
    public NDArray sampleNormal(NDArray mu, NDArray sigma) {
        return sampleNormal(mu, sigma, new Shape());
    }

    @Override
    public NDArray sampleNormal(NDArray mu, NDArray sigma, Shape shape) {
        return sample("sampleNormal", mu, sigma, shape, (r, m, s) -> m + s * gaussian(r));
    }

    @Override
    public NDArray samplePoisson(NDArray lam) {
        return samplePoisson(lam, new Shape());
    }

    @Override
    public NDArray samplePoisson(NDArray lam, Shape shape) {
        return sample("samplePoisson", lam, null, shape, (r, l, unused) -> poisson(r, l));
    }

    @Override
    public NDArray sampleGamma(NDArray alpha, NDArray beta) {
        return sampleGamma(alpha, beta, new Shape());
    }

    /** Gamma(alpha, scale beta): mean αβ, variance αβ² (MXNet's parametrisation). */
    @Override
    public NDArray sampleGamma(NDArray alpha, NDArray beta, Shape shape) {
        return sample("sampleGamma", alpha, beta, shape, (r, a, b) -> b * gamma(r, a));
    }

    /** Knuth's product method below λ = 30, Hörmann's PTRS above. */
    static double poisson(SplittableRandom r, double lam) {
        if (!(lam >= 0)) {
            throw new IllegalArgumentException("samplePoisson: lambda must be >= 0, got " + lam);
        }
        if (lam < 30) {
            double l = Math.exp(-lam);
            long k = 0;
            double p = r.nextDouble();
            while (p > l) {
                k++;
                p *= r.nextDouble();
            }
            return k;
        }
        double slam = Math.sqrt(lam);
        double loglam = Math.log(lam);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            double k = Math.floor((2 * a / us + b) * u + lam + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
                    <= -lam + k * loglam - Special.lgamma(k + 1)) {
                return k;
            }
        }
    }

    /** Marsaglia and Tsang's method (shape ≥ 1; boosted by U^(1/α) below 1); 0 for shape 0. */
    static double gamma(SplittableRandom r, double alpha) {
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("sampleGamma: alpha must be >= 0, got " + alpha);
        }
        if (alpha == 0) {
            return 0;
        }
        if (alpha < 1) {
            return gamma(r, alpha + 1) * Math.pow(r.nextDouble(), 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = gaussian(r);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = r.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u1;
        do {
            u1 = r.nextDouble();
        } while (u1 == 0);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Override
    public NDArray create(String[] data, java.nio.charset.Charset charset, Shape shape) {
        throw InertiaEngine.unsupported("create (string arrays)");
    }

    @Override
    public NDArray createCSR(Buffer data, long[] indptr, long[] indices, Shape shape) {
        throw InertiaEngine.unsupported("createCSR (sparse arrays)");
    }

    @Override
    public NDArray createRowSparse(Buffer data, Shape dataShape, long[] indices, Shape shape) {
        throw InertiaEngine.unsupported("createRowSparse (sparse arrays)");
    }

    @Override
    public NDArray createCoo(Buffer data, long[][] indices, Shape shape) {
        throw InertiaEngine.unsupported("createCoo (sparse arrays)");
    }

    @Override
    public ai.djl.ndarray.NDList load(java.nio.file.Path path) {
        throw InertiaEngine.unsupported("NDManager.load (engine-native array files; use NDList.decode)");
    }

    @Override
    public void invoke(String operation, NDArray[] src, NDArray[] dest, ai.djl.util.PairList<String, ?> params) {
        throw InertiaEngine.unsupported("invoke(" + operation + ") (engine-native operators)");
    }

    @Override
    public ai.djl.ndarray.NDList invoke(String operation, ai.djl.ndarray.NDList src,
            ai.djl.util.PairList<String, ?> params) {
        throw InertiaEngine.unsupported("invoke(" + operation + ") (engine-native operators)");
    }

    @Override
    public InertiaNDManager newSubManager() {
        return newSubManager(device);
    }

    @Override
    public InertiaNDManager newSubManager(Device device) {
        InertiaNDManager m = new InertiaNDManager(this, device);
        attachUncappedInternal(m.uid, m);
        return m;
    }

    /**
     * Attaches {@code a} (whose {@code manager} is already this) as DJL's {@code attachInternal(uid, a)} does, or
     * {@code attachUncappedInternal} when not {@code capped}: the same checks and exceptions; an unnamed array goes
     * into the list, a named one through DJL's map (which also handles a temporarily attached resource).
     */
    void attachArray(InertiaNDArray a, boolean capped) {
        synchronized (this) {
            if (capped && this.capped.get()) {
                throw new IllegalStateException("NDManager is capped for addition of resources.");
            }
            if (closed.get()) {
                throw new IllegalStateException("NDManager has been closed already.");
            }
            if (a.uidIfMade() == null && a.listedIn == null) {
                a.prevListed = null;
                a.nextListed = firstListed;
                if (firstListed != null) {
                    firstListed.prevListed = a;
                }
                firstListed = a;
                listedCount++;
                a.listedIn = this; // written after the uid was read as null (see InertiaNDArray.nameOnce)
                return;
            }
        }
        String uid = a.getUid();
        if (capped) {
            attachInternal(uid, a);
        } else {
            attachUncappedInternal(uid, a);
        }
    }

    /** Detaches {@code a} as DJL's {@code detachInternal(a.getUid())} does (nothing once this manager is closed). */
    void detachArray(InertiaNDArray a) {
        synchronized (this) {
            if (closed.get()) {
                return;
            }
            if (a.listedIn == this) {
                unlist(a);
                return;
            }
        }
        String uid = a.uidIfMade();
        if (uid != null) {
            detachInternal(uid);
        }
    }

    /** {@code a} just got its uid: moves it from the list into DJL's map, where String-keyed calls find it. */
    void named(InertiaNDArray a) {
        synchronized (this) {
            if (a.listedIn != this || closed.get()) {
                return; // not listed here (any more), or this manager is closing it with the rest
            }
            unlist(a);
            resources.put(a.getUid(), a);
        }
    }

    private void unlist(InertiaNDArray a) { // under this manager's lock
        InertiaNDArray p = a.prevListed;
        InertiaNDArray n = a.nextListed;
        if (p == null) {
            firstListed = n;
        } else {
            p.nextListed = n;
        }
        if (n != null) {
            n.prevListed = p;
        }
        a.prevListed = null;
        a.nextListed = null;
        a.listedIn = null;
        listedCount--;
    }

    /** The listed arrays, taken out of the list (under the lock), in list order. */
    private List<InertiaNDArray> takeListed() {
        synchronized (this) {
            List<InertiaNDArray> out = new ArrayList<>(listedCount);
            for (InertiaNDArray a = firstListed; a != null; ) {
                InertiaNDArray n = a.nextListed;
                a.prevListed = null;
                a.nextListed = null;
                a.listedIn = null;
                out.add(a);
                a = n;
            }
            firstListed = null;
            listedCount = 0;
            return out;
        }
    }

    /** As DJL's: closes every resource (the listed arrays too) once; later calls do nothing. */
    @Override
    public void close() {
        boolean open = isOpen();
        super.close(); // marks the manager closed, closes the map's resources, detaches it from its parent
        if (open) {
            for (InertiaNDArray a : takeListed()) {
                try {
                    a.close();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "Resource close failed.", e);
                }
            }
        }
    }

    @Override
    public List<NDArray> getManagedArrays() {
        List<NDArray> out = new ArrayList<>(super.getManagedArrays());
        synchronized (this) {
            for (InertiaNDArray a = firstListed; a != null; a = a.nextListed) {
                out.add(a);
            }
        }
        return out;
    }

    /** The number of resources attached to this manager (DJL's map and the listed arrays). */
    private int resourceCount() {
        synchronized (this) {
            return resources.size() + listedCount;
        }
    }

    @Override
    public String toString() {
        String parentName = parent == null ? "No Parent" : parent.getName();
        return "Name: " + getName() + " Parent Name: " + parentName + " isOpen: " + isOpen() + " Resource size: "
                + resourceCount();
    }

    @Override
    public void debugDump(int level) {
        StringBuilder sb = new StringBuilder(100);
        for (int i = 0; i < level; ++i) {
            sb.append("    ");
        }
        sb.append("\\--- NDManager(").append(uid).append(") resource count: ").append(resourceCount());
        System.out.println(sb); // as DJL's BaseNDManager.debugDump
        for (AutoCloseable c : resources.values()) {
            if (c instanceof BaseNDManager m) {
                m.debugDump(level + 1);
            }
        }
    }

    @Override
    public Engine getEngine() {
        return Engine.getEngine(InertiaEngine.ENGINE_NAME);
    }

    /** Throws IllegalStateException naming the manager once it is closed. */
    void checkOpen() {
        if (!isOpen()) {
            throw new IllegalStateException("NDManager " + getName() + " (" + uid + ") is closed");
        }
    }

    static final class SystemManager extends InertiaNDManager implements SystemNDManager {
        SystemManager() {
            super(null, null);
        }

        @Override
        public void attachInternal(String resourceId, AutoCloseable... resources) {
        }

        @Override
        public void attachUncappedInternal(String resourceId, AutoCloseable resource) {
        }

        @Override
        public void detachInternal(String resourceId) {
        }

        @Override
        void attachArray(InertiaNDArray a, boolean capped) {
        }

        @Override
        void detachArray(InertiaNDArray a) {
        }

        @Override
        public void close() {
        }
    }
}
