package org.inertia.djl;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Backends;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * DJL's {@link NDArray} on the Inertia engine: a dense, row-major block of off-heap memory (Inertia's
 * {@link Storage}) of one of float32, float64, int32, int64, int8, uint8 or boolean, owned by an
 * {@link InertiaNDManager} and freed when it or its manager closes. Float operations with kernels in Inertia
 * (elementwise arithmetic with broadcasting, unary functions, reductions, softmax, matrix products) run on them;
 * the rest are plain loops. Every operation returns a new array (no views) except the in-place variants
 * ({@code addi}, {@code subi}, ...), which write into this array. Operations on arrays that take part in a
 * {@link InertiaGradientCollector}'s recording are recorded on Inertia's autograd graph.
 */
public final class InertiaNDArray implements NDArray {
    private InertiaNDManager manager;
    /** DJL's uid, made on first {@link #getUid()} (an array nobody names costs no string and no map entry). */
    private volatile String uid;
    /** The manager whose list of unnamed arrays holds this one ({@link InertiaNDManager#attachArray}), or null. */
    volatile InertiaNDManager listedIn;
    /** The neighbours in {@link #listedIn}'s list (guarded by that manager). */
    InertiaNDArray prevListed;
    InertiaNDArray nextListed;
    private String name;
    private Shape shape;
    private DataType dataType;
    private Storage storage; // owned memory, or null when borrowed or held by a tensor
    private Tensor owner; // a tensor whose data this array is, closed with it; or null
    private MemorySegment data;
    private volatile boolean closed;
    /** The autograd tensor of this array: a leaf that requires a gradient, or a recorded op result; or null. */
    Tensor tensor;
    private boolean requiresGrad;
    private InertiaNDArrayEx ex;
    private InertiaNDArray gradView;
    private Tensor gradTensor;
    /** On a leaf: its gradient is zero by contract but the buffer is not cleared yet ({@link #zeroGradLazily}). */
    private volatile boolean gradZeroPending;
    /** On a gradient view ({@link #getGradient}): the leaf whose gradient buffer it shows, else null. */
    private InertiaNDArray gradOf;
    /**
     * On a duplicate of a gradient view that still shares the leaf's gradient buffer (copy on write, see
     * {@link #duplicate}): that leaf; null once it has its own copy, and on every other array.
     */
    private volatile InertiaNDArray sharesGradOf;
    /** On a leaf: the duplicates of its gradient that still share the buffer (guarded by this leaf; by identity). */
    private List<InertiaNDArray> gradSharers;
    private volatile boolean hasGradSharers;
    /**
     * Non-null while this array's memory is a block it shares with copy-on-write duplicates ({@link #duplicate}):
     * the block then owns the memory ({@code storage} is null) and is freed by its last holder.
     */
    private volatile SharedBlock block;

    /** Memory shared by an array and its copy-on-write duplicates. */
    private static final class SharedBlock {
        private final Storage storage;
        private int holders; // guarded by this block

        SharedBlock(Storage storage) {
            this.storage = storage;
        }
    }

    /** Below this many bytes a duplicate copies at once (a copy costs less than the sharing). */
    private static final long SHARE_MIN_BYTES = 16 << 10;

    /** A new zero-filled array attached to {@code manager}. */
    InertiaNDArray(InertiaNDManager manager, Shape shape, DataType dataType) {
        this(manager, shape, dataType, true);
    }

    /**
     * A new array attached to {@code manager}, zero-filled when {@code zero}, else with unspecified contents (for an
     * output the caller writes entirely before anyone reads it: a reused pool block, never another process's data).
     */
    InertiaNDArray(InertiaNDManager manager, Shape shape, DataType dataType, boolean zero) {
        manager.checkOpen();
        Dt.check("create", dataType);
        checkShape(shape);
        this.manager = manager;
        this.shape = shape;
        this.dataType = dataType;
        long bytes = Math.multiplyExact(shape.size(), (long) Dt.size(dataType));
        this.storage = allocate(bytes, zero);
        this.data = storage.segment().asSlice(0, bytes);
        manager.attachArray(this, true);
    }

    private InertiaNDArray(InertiaNDManager manager, Shape shape, DataType dataType, MemorySegment data,
            Tensor owner) {
        this(manager, shape, dataType, data, owner, null);
    }

    /** An array over {@code data} (a holder of {@code block} when that is not null), attached to manager. */
    private InertiaNDArray(InertiaNDManager manager, Shape shape, DataType dataType, MemorySegment data,
            Tensor owner, SharedBlock block) {
        this.manager = manager;
        this.shape = shape;
        this.dataType = dataType;
        this.data = data;
        this.owner = owner;
        this.block = block;
        manager.attachArray(this, true);
    }

    /** An array over a contiguous kernel array owned by {@code owner} (closed with this array), attached to m. */
    static InertiaNDArray ofTensor(InertiaNDManager m, Tensor owner) {
        NdArray d = owner.data();
        if (!d.isContiguous() || d.offset() != 0) {
            throw new IllegalStateException("tensor data must be contiguous");
        }
        DataType t = d.dtype() == Dtype.F32 ? DataType.FLOAT32 : d.dtype() == Dtype.F64 ? DataType.FLOAT64
                : DataType.INT32;
        MemorySegment seg = d.segment().asSlice(0, d.numel() * d.dtype().byteSize());
        return new InertiaNDArray(m, Dt.shape(d.shape().dims()), t, seg, owner);
    }

    /** A new array with a copy of a kernel array's values. */
    static InertiaNDArray copyOf(InertiaNDManager m, NdArray src) {
        DataType t = src.dtype() == Dtype.F32 ? DataType.FLOAT32 : src.dtype() == Dtype.F64 ? DataType.FLOAT64
                : DataType.INT32;
        InertiaNDArray a = new InertiaNDArray(m, Dt.shape(src.shape().dims()), t, false);
        if (a.size() > 0) {
            copy(src, a.kernel());
        }
        return a;
    }

    /**
     * dst ← src (same shape; dtypes converted): one block copy when both are contiguous of one dtype, else
     * element by element ({@link NdArray#copyFrom(NdArray)}).
     */
    static void copy(NdArray src, NdArray dst) {
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()
                && src.shape().equals(dst.shape())) {
            long bs = src.dtype().byteSize();
            MemorySegment.copy(src.segment(), src.offset() * bs, dst.segment(), dst.offset() * bs, src.numel() * bs);
        } else {
            dst.copyFrom(src);
        }
    }

    /** A view sharing {@code seg} (not freed by this array), for gradients. */
    static InertiaNDArray borrow(InertiaNDManager m, MemorySegment seg, Shape shape, DataType t) {
        return new InertiaNDArray(m, shape, t, seg, null);
    }

    private static Storage allocate(long bytes, boolean zero) {
        Dtype unit = bytes % 8 == 0 ? Dtype.F64 : Dtype.I32;
        long n = (bytes + unit.byteSize() - 1) / unit.byteSize();
        return zero ? Storage.allocate(unit, n) : Storage.allocateUninitialized(unit, n);
    }

    private static void checkShape(Shape shape) {
        for (int i = 0; i < shape.dimension(); i++) {
            if (shape.get(i) < 0) {
                throw new IllegalArgumentException("shape " + shape + " has a negative dimension at axis " + i);
            }
        }
    }

    // ------------------------------------------------------------------ internals

    /** The bytes of this array; throws IllegalStateException once it (or its manager) is closed. */
    MemorySegment seg() {
        if (closed) {
            throw new IllegalStateException("NDArray " + getUid() + " " + shape + " " + dataType + " is closed");
        }
        SharedBlock b = block;
        if (b != null) { // any access but a read copies a shared block first (the block itself never changes)
            unshare(b);
        }
        if (gradOf != null) { // an access to a gradient view may write the buffer: its sharers copy it first
            gradOf.releaseGradSharers();
            if (gradOf.gradZeroPending) {
                gradOf.settleGrad(); // and it sees the zeroes an optimizer update promised
            }
        }
        InertiaNDArray shared = sharesGradOf;
        if (shared != null) {
            shared.unshareGrad(this); // a shared duplicate gets its own copy before anyone may write it
        }
        return data;
    }

    /**
     * The bytes of this array for reading only: as {@link #seg()}, except that a duplicate still sharing a
     * gradient buffer reads that buffer instead of copying it first (every write to the buffer copies it out to
     * its sharers before it happens: {@link #releaseGradSharers}).
     */
    MemorySegment segForRead() {
        if (closed) {
            throw new IllegalStateException("NDArray " + getUid() + " " + shape + " " + dataType + " is closed");
        }
        return sharesGradOf != null || block != null ? data : seg();
    }

    /** Whether this array's memory is a block shared with copy-on-write duplicates ({@link #duplicate}). */
    boolean sharesBlock() {
        return block != null;
    }

    /**
     * Whether {@link #duplicate} may share this array's memory instead of copying it: an open array that owns its
     * memory, is large enough, and takes no part in gradients (no tensor, no gradient view or buffer).
     */
    private boolean canShareBlock() {
        return !closed && (storage != null || block != null) && owner == null && tensor == null && !requiresGrad
                && gradOf == null && sharesGradOf == null && gradView == null && !hasGradSharers
                && data.byteSize() >= SHARE_MIN_BYTES;
    }

    /** A duplicate reading this array's memory until either of them is accessed otherwise ({@link #seg()}). */
    private InertiaNDArray shareBlock() {
        InertiaNDArray d;
        synchronized (this) {
            SharedBlock b = block;
            if (b == null) {
                b = new SharedBlock(storage);
                b.holders = 1;
                storage = null; // the block owns the memory now
                block = b;
            }
            synchronized (b) {
                b.holders++; // before the duplicate can be seen (and closed) through its manager
            }
            try {
                d = new InertiaNDArray(manager, shape, dataType, data, null, b);
            } catch (RuntimeException e) {
                release(b);
                throw e;
            }
        }
        return d;
    }

    /** Gives this holder of {@code b} memory of its own: the block itself when it is the last holder, else a copy. */
    private void unshare(SharedBlock b) {
        synchronized (this) {
            if (block != b) {
                return;
            }
            synchronized (b) {
                if (b.holders == 1) {
                    storage = b.storage;
                    block = null;
                    return;
                }
            }
            long bytes = data.byteSize();
            Storage own = allocate(bytes, false);
            MemorySegment mine = own.segment().asSlice(0, bytes);
            MemorySegment.copy(data, 0, mine, 0, bytes); // still a holder: the block stays alive meanwhile
            storage = own;
            data = mine;
            block = null;
            release(b);
        }
    }

    /** One holder of {@code b} lets go; the last frees the memory. */
    private static void release(SharedBlock b) {
        boolean last;
        synchronized (b) {
            last = --b.holders == 0;
        }
        if (last) {
            b.storage.close();
        }
    }

    /** A read-only kernel view of this array ({@link #segForRead()}; float32, float64 or int32). */
    NdArray kernelForRead() {
        Dtype d = Dt.kernel(dataType);
        if (d == null) {
            throw new IllegalStateException(dataType + " has no kernel dtype");
        }
        return NdArray.view(Storage.wrap(segForRead(), d), org.inertia.kernels.Shape.of(Dt.dims(shape)),
                longStrides(), 0);
    }

    /**
     * A copy-on-write duplicate of this leaf's gradient, shown by {@code view}: it reads the gradient buffer
     * until either would change: the buffer (a backward pass, a zeroing, any access through a gradient view, the
     * leaf letting go of its gradient) or the duplicate (any access other than {@link #segForRead()}), which then
     * copies it. DJL's parameter server duplicates every gradient before the optimizer reads it and then lets the
     * duplicate go: that copy is never made.
     */
    private synchronized InertiaNDArray shareGrad(InertiaNDArray view) {
        settleGrad(); // a pending zero is written before the buffer is shared
        InertiaNDArray d = new InertiaNDArray(view.manager, shape, dataType, view.data, null);
        d.sharesGradOf = this;
        if (gradSharers == null) {
            gradSharers = new ArrayList<>(2);
        }
        gradSharers.add(d);
        hasGradSharers = true;
        return d;
    }

    /** Gives every duplicate still sharing this leaf's gradient buffer its own copy (before the buffer changes). */
    void releaseGradSharers() {
        if (!hasGradSharers) {
            return;
        }
        synchronized (this) {
            for (InertiaNDArray d : gradSharers) {
                d.ownCopy();
            }
            gradSharers.clear();
            hasGradSharers = false;
        }
    }

    /** Gives {@code d} (a sharer of this leaf's gradient) its own copy, or forgets it when it closes. */
    private synchronized void unshareGrad(InertiaNDArray d) {
        if (d.sharesGradOf != this) {
            return;
        }
        for (int i = 0; i < gradSharers.size(); i++) {
            if (gradSharers.get(i) == d) { // by identity: arrays compare by content
                gradSharers.remove(i);
                break;
            }
        }
        if (!d.closed) {
            d.ownCopy();
        }
        d.sharesGradOf = null;
        hasGradSharers = !gradSharers.isEmpty();
    }

    /** Copies the shared buffer into memory of its own (called under the leaf's lock). */
    private void ownCopy() {
        long bytes = data.byteSize();
        Storage own = allocate(bytes, false);
        MemorySegment mine = own.segment().asSlice(0, bytes);
        MemorySegment.copy(data, 0, mine, 0, bytes);
        storage = own;
        data = mine;
        sharesGradOf = null;
    }

    /**
     * Zeroes this leaf's gradient as far as anyone can observe, deferring the clearing of the buffer to the first
     * access to it ({@link #settleGrad}: through {@link #getGradient}'s view, a backward pass, or the next
     * collector, which zeroes every gradient anyway). An optimizer update zeroes each gradient after it (as DJL's
     * PyTorch engine does) and the next {@link InertiaGradientCollector} zeroes them again (as MXNet's does): the
     * deferral makes that one pass over the gradients instead of two.
     */
    void zeroGradLazily() {
        if (tensor != null && tensor.grad() != null) {
            gradZeroPending = true;
        }
    }

    /** Clears a gradient {@link #zeroGradLazily} left pending; does nothing otherwise. */
    synchronized void settleGrad() {
        if (gradZeroPending) {
            releaseGradSharers();
            if (tensor != null && !tensor.isClosed() && tensor.grad() != null) {
                tensor.zeroGrad();
            }
            gradZeroPending = false;
        }
    }

    /** Zeroes this leaf's gradient now (a pending zero included). */
    synchronized void zeroGradNow() {
        releaseGradSharers();
        if (tensor != null && !tensor.isClosed() && tensor.grad() != null) {
            tensor.zeroGrad();
        }
        gradZeroPending = false;
    }

    InertiaNDManager mgr() {
        return manager;
    }

    /** A kernel view of this array (float32, float64 or int32). */
    NdArray kernel() {
        Dtype d = Dt.kernel(dataType);
        if (d == null) {
            throw new IllegalStateException(dataType + " has no kernel dtype");
        }
        Storage s = Storage.wrap(seg(), d);
        return NdArray.view(s, org.inertia.kernels.Shape.of(Dt.dims(shape)), longStrides(), 0);
    }

    private long[] longStrides() {
        return Dt.strides(shape);
    }

    static Backend be() {
        return Backends.get();
    }

    static InertiaNDArray cast(String op, String arg, NDArray a) {
        if (a instanceof InertiaNDArray ia) {
            if (ia.block != null) {
                ia.segForRead(); // the check only: the op's own access decides whether the block is copied
            } else {
                ia.seg();
            }
            return ia;
        }
        if (a == null) {
            throw new IllegalArgumentException(op + ": " + arg + " is null");
        }
        throw new IllegalArgumentException(op + ": " + arg + " is a " + a.getClass().getName() + " from engine "
                + a.getManager().getEngine().getEngineName() + "; the " + InertiaEngine.ENGINE_NAME
                + " engine needs its own arrays (use manager.from(array))");
    }

    private InertiaNDArray alloc(Shape s, DataType t) {
        return new InertiaNDArray(manager, s, t);
    }

    /** A new array of this manager whose every element the caller writes before it is read (no zero fill). */
    private InertiaNDArray allocOutput(Shape s, DataType t) {
        return new InertiaNDArray(manager, s, t, false);
    }

    void fill(double v) {
        MemorySegment s = seg();
        long n = size();
        if (dataType == DataType.FLOAT32 && n > 0) {
            be().elementwise().fill(kernel(), v);
            return;
        }
        for (long i = 0; i < n; i++) {
            Dt.putD(s, dataType, i, v);
        }
    }

    double getD(long i) {
        return Dt.getD(seg(), dataType, i);
    }

    long getL(long i) {
        return Dt.getL(seg(), dataType, i);
    }

    double[] doubles() {
        long n = size();
        double[] out = new double[Math.toIntExact(n)];
        MemorySegment s = seg();
        if (dataType == DataType.FLOAT64) {
            MemorySegment.copy(s, Dt.D, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = Dt.getD(s, dataType, i);
            }
        }
        return out;
    }

    long[] longs() {
        long[] out = new long[Math.toIntExact(size())];
        MemorySegment s = seg();
        for (int i = 0; i < out.length; i++) {
            out[i] = Dt.getL(s, dataType, i);
        }
        return out;
    }

    /** A new array of shape s and type t filled from doubles (converted as a cast would). */
    InertiaNDArray fromDoubles(double[] v, Shape s, DataType t) {
        InertiaNDArray a = alloc(s, t);
        MemorySegment m = a.seg();
        if (t == DataType.FLOAT64) {
            MemorySegment.copy(v, 0, m, Dt.D, 0, v.length);
        } else {
            for (int i = 0; i < v.length; i++) {
                Dt.putD(m, t, i, v[i]);
            }
        }
        return a;
    }

    InertiaNDArray fromLongs(long[] v, Shape s, DataType t) {
        InertiaNDArray a = alloc(s, t);
        MemorySegment m = a.seg();
        for (int i = 0; i < v.length; i++) {
            Dt.putL(m, t, i, v[i]);
        }
        return a;
    }

    private boolean isIntegral() {
        return !Dt.isFloat(dataType);
    }

    // ------------------------------------------------------------------ NDResource

    @Override
    public NDManager getManager() {
        return manager;
    }

    @Override
    public void attach(NDManager newManager) {
        InertiaNDManager m = checkManager(newManager);
        detach();
        this.manager = m;
        m.attachArray(this, true);
    }

    @Override
    public void returnResource(NDManager newManager) {
        InertiaNDManager m = checkManager(newManager);
        detach();
        this.manager = m;
        m.attachArray(this, false);
    }

    @Override
    public void tempAttach(NDManager newManager) {
        InertiaNDManager m = checkManager(newManager);
        NDManager original = this.manager;
        detach();
        this.manager = m;
        m.tempAttachInternal(original, getUid(), this);
    }

    @Override
    public void detach() {
        manager.detachArray(this);
        manager = InertiaNDManager.system();
    }

    private static InertiaNDManager checkManager(NDManager m) {
        if (m instanceof InertiaNDManager im) {
            im.checkOpen();
            return im;
        }
        throw new IllegalArgumentException("cannot attach an " + InertiaEngine.ENGINE_NAME + " array to a manager of "
                + "engine " + (m == null ? "null" : m.getEngine().getEngineName()));
    }

    /**
     * Closes the array. While a gradient collector is open the memory is released when it closes instead (the
     * recorded graph may still read this array in backward, as PyTorch's graph keeps its tensors alive); the
     * array leaves its manager at once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Grad.deferClose(this)) {
            manager.detachArray(this);
            return;
        }
        closeNow();
    }

    /** Releases the memory now. */
    void closeNow() {
        if (closed) {
            return;
        }
        releaseGradSharers(); // this leaf's gradient buffer may go below
        closed = true;
        InertiaNDArray shared = sharesGradOf;
        if (shared != null) {
            shared.unshareGrad(this); // a sharing duplicate owns no memory: it only stops sharing
        }
        SharedBlock b = block;
        if (b != null) {
            block = null;
            release(b);
        }
        if (storage != null) {
            storage.close();
            storage = null;
        }
        if (gradView != null) {
            gradView.closeNow(); // the gradient buffer goes with the tensor below
            gradView = null;
        }
        if (tensor != null && tensor != owner) {
            tensor.close();
        }
        tensor = null;
        if (owner != null) {
            owner.close();
            owner = null;
        }
        manager.detachArray(this);
    }

    @Override
    public boolean isReleased() {
        return closed;
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public String getUid() {
        String u = uid;
        return u != null ? u : nameOnce();
    }

    /** DJL's uid, if {@link #getUid()} made it; else null (the array is then in no manager's map). */
    String uidIfMade() {
        return uid;
    }

    /**
     * Makes the uid (once, whichever thread wins) and moves this array from its manager's list of unnamed arrays
     * into the manager's map, where DJL's String-keyed calls ({@code detachInternal(uid)}, ...) find it.
     */
    private String nameOnce() {
        String u = NDManager.nextUid();
        if (!UID.compareAndSet(this, null, u)) {
            return uid;
        }
        InertiaNDManager m = listedIn; // read after the uid is set: an attach that missed the uid has listed it
        if (m != null) {
            m.named(this);
        }
        return u;
    }

    private static final java.lang.invoke.VarHandle UID;

    static {
        try {
            UID = java.lang.invoke.MethodHandles.lookup().findVarHandle(InertiaNDArray.class, "uid", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public DataType getDataType() {
        return dataType;
    }

    @Override
    public Device getDevice() {
        return Device.cpu();
    }

    @Override
    public Shape getShape() {
        return shape;
    }

    @Override
    public SparseFormat getSparseFormat() {
        return SparseFormat.DENSE;
    }

    @Override
    public NDArray toDevice(Device device, boolean copy) {
        InertiaEngine.checkDevice(device);
        return copy ? duplicate() : this;
    }

    @Override
    public NDArray toType(DataType t, boolean copy) {
        seg();
        Dt.check("toType", t);
        if (t == dataType && !copy) {
            return this;
        }
        return convert(t);
    }

    InertiaNDArray convert(DataType t) {
        InertiaNDArray out = alloc(shape, t);
        long n = size();
        MemorySegment s = seg();
        MemorySegment o = out.seg();
        if (t == dataType) {
            MemorySegment.copy(s, 0, o, 0, s.byteSize());
        } else if (Dt.isFloat(t) || Dt.isFloat(dataType)) {
            for (long i = 0; i < n; i++) {
                Dt.putD(o, t, i, Dt.getD(s, dataType, i));
            }
        } else {
            for (long i = 0; i < n; i++) {
                Dt.putL(o, t, i, Dt.getL(s, dataType, i));
            }
        }
        if (Grad.active(this) && Dt.isFloat(t) && Dt.isFloat(dataType)) {
            Grad.record(out, "toType", new InertiaNDArray[] {this}, g -> new NDArray[] {g.toType(dataType, true)});
        }
        return out;
    }

    // ------------------------------------------------------------------ gradients

    @Override
    public void setRequiresGradient(boolean requiresGrad) {
        seg();
        if (requiresGrad && !Dt.isFloat(dataType)) {
            throw new IllegalArgumentException("setRequiresGradient: only float32 and float64 arrays can have a "
                    + "gradient, this one is " + dataType);
        }
        this.requiresGrad = requiresGrad;
        if (requiresGrad) {
            if (tensor == null || !tensor.isLeaf()) {
                tensor = Tensor.parameter(kernel());
                Grad.registerLeaf(this);
            }
            tensor.gradBuffer();
        } else {
            releaseGradSharers();
            if (tensor != null && tensor.isLeaf() && tensor != owner) {
                tensor.close(); // frees the gradient buffer
            }
            if (gradView != null) {
                gradView.closeNow();
                gradView = null;
            }
            tensor = null;
        }
    }

    @Override
    public NDArray getGradient() {
        seg();
        if (!requiresGrad || tensor == null) {
            throw new IllegalStateException("No gradient attached to this NDArray, please call "
                    + "array.setRequiresGradient() on your NDArray or block.setInitializer() on your Block");
        }
        if (gradView == null || gradView.isReleased() || gradTensor != tensor) {
            // one view per gradient buffer (the buffer never moves): repeated calls add nothing to any manager
            NdArray g = tensor.gradBuffer();
            gradView = borrow(manager, g.segment().asSlice(0, g.numel() * g.dtype().byteSize()), shape, dataType);
            gradView.gradOf = this;
            gradTensor = tensor;
        }
        settleGrad();
        return gradView;
    }

    @Override
    public boolean hasGradient() {
        return requiresGrad;
    }

    @Override
    public NDArray stopGradient() {
        return duplicateRaw();
    }

    InertiaNDArray duplicateRaw() {
        InertiaNDArray out = allocOutput(shape, dataType);
        MemorySegment.copy(seg(), 0, out.seg(), 0, data.byteSize());
        return out;
    }

    @Override
    public NDArray duplicate() {
        InertiaNDArray leaf = gradOf;
        if (leaf != null && !closed && !leaf.closed) { // a gradient view: copy on write
            InertiaNDArray out = leaf.shareGrad(this);
            out.setName(name);
            return out;
        }
        if (canShareBlock()) { // copy on write: the copy is made only if either array is written (seg())
            InertiaNDArray out = shareBlock();
            out.setName(name);
            return out;
        }
        InertiaNDArray out = duplicateRaw();
        out.setName(name);
        if (Grad.active(this)) {
            Grad.record(out, "duplicate", new InertiaNDArray[] {this}, g -> new NDArray[] {g.duplicate()});
        }
        return out;
    }

    boolean requiresGradFlag() {
        return requiresGrad;
    }

    // ------------------------------------------------------------------ data in and out

    @Override
    public ByteBuffer toByteBuffer(boolean tryDirect) {
        MemorySegment s = seg();
        ByteBuffer bb = tryDirect ? ByteBuffer.allocateDirect((int) s.byteSize())
                : ByteBuffer.allocate(Math.toIntExact(s.byteSize()));
        bb.order(ByteOrder.nativeOrder());
        MemorySegment.ofBuffer(bb).copyFrom(s);
        return bb;
    }

    @Override
    public String[] toStringArray(Charset charset) {
        throw InertiaEngine.unsupported("toStringArray (string arrays)");
    }

    @Override
    public void set(Buffer buffer) {
        MemorySegment s = seg();
        int n = Math.toIntExact(size());
        BaseNDManager.validateBuffer(buffer, dataType, n);
        ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(s.byteSize())).order(ByteOrder.nativeOrder());
        BaseNDManager.copyBuffer(buffer, bb);
        s.copyFrom(MemorySegment.ofBuffer(bb));
    }

    /** Copies the values (converted to this array's type) of another array of the same shape. */
    void setFrom(InertiaNDArray src) {
        if (!src.shape.equals(shape)) {
            throw new IllegalArgumentException("cannot set an array of shape " + shape + " from one of shape "
                    + src.shape);
        }
        if (src.dataType == dataType) {
            MemorySegment.copy(src.seg(), 0, seg(), 0, data.byteSize());
        } else {
            try (InertiaNDArray c = src.convert(dataType)) {
                MemorySegment.copy(c.seg(), 0, seg(), 0, data.byteSize());
            }
        }
    }

    @Override
    public void intern(NDArray replaced) {
        InertiaNDArray r = cast("intern", "replaced", replaced);
        r.seg(); // r's memory of its own (a shared block is copied), which this array takes over
        seg();
        if (storage != null) {
            storage.close();
        }
        if (owner != null) {
            owner.close();
        }
        this.storage = r.storage;
        this.owner = r.owner;
        this.data = r.data;
        this.shape = r.shape;
        this.dataType = r.dataType;
        this.tensor = r.tensor;
        r.storage = null;
        r.owner = null;
        r.tensor = null;
        r.close();
    }

    @Override
    public NDArrayEx getNDArrayInternal() {
        if (ex == null) {
            ex = new InertiaNDArrayEx(this);
        }
        return ex;
    }

    // ------------------------------------------------------------------ equality and printing

    @Override
    public boolean contentEquals(Number number) {
        if (number == null || dataType == DataType.BOOLEAN) {
            return false;
        }
        double v = number.doubleValue();
        long n = size();
        for (long i = 0; i < n; i++) {
            if (getD(i) != v) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean contentEquals(NDArray other) {
        if (other == null || !shape.equals(other.getShape()) || dataType != other.getDataType()) {
            return false;
        }
        InertiaNDArray o = other instanceof InertiaNDArray io ? io : null;
        if (o == null) {
            return Arrays.equals(toByteBuffer().array(), other.toByteBuffer().array());
        }
        if (!Dt.isFloat(dataType)) {
            return seg().mismatch(o.seg()) == -1;
        }
        long n = size();
        for (long i = 0; i < n; i++) {
            if (getD(i) != o.getD(i)) { // values, as torch.equal: -0 equals 0, NaN equals nothing
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof NDArray a && !isReleased() && contentEquals(a);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        if (closed) {
            return "This array is already closed";
        }
        return toDebugString();
    }

    // ------------------------------------------------------------------ elementwise machinery

    /** Binary elementwise functions: double and long forms and the kernel op where one exists. */
    enum Bin {
        ADD(BinaryOp.ADD, Double::sum, Long::sum),
        SUB(BinaryOp.SUB, (a, b) -> a - b, (a, b) -> a - b),
        MUL(BinaryOp.MUL, (a, b) -> a * b, (a, b) -> a * b),
        DIV(BinaryOp.DIV, (a, b) -> a / b, (a, b) -> {
            if (b == 0) {
                throw new ArithmeticException("integer division by zero");
            }
            return Math.floorDiv(a, b);
        }),
        MOD(null, (a, b) -> {
            double r = a % b;
            return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
        }, (a, b) -> {
            if (b == 0) {
                throw new ArithmeticException("integer modulo by zero");
            }
            return Math.floorMod(a, b);
        }),
        POW(BinaryOp.POW, Math::pow, (a, b) -> {
            if (b < 0) {
                return a == 1 ? 1 : (a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0);
            }
            long r = 1;
            long base = a;
            long e = b;
            while (e > 0) {
                if ((e & 1) == 1) {
                    r *= base;
                }
                base *= base;
                e >>= 1;
            }
            return r;
        }),
        MAX(BinaryOp.MAX, (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b), Math::max),
        MIN(BinaryOp.MIN, (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b), Math::min),
        ATAN2(null, Math::atan2, null),
        XLOGY(null, (x, y) -> x == 0 && !Double.isNaN(y) ? 0 : x * Math.log(y), null),
        EQ(null, (a, b) -> a == b ? 1 : 0, (a, b) -> a == b ? 1 : 0),
        NEQ(null, (a, b) -> a != b ? 1 : 0, (a, b) -> a != b ? 1 : 0),
        GT(null, (a, b) -> a > b ? 1 : 0, (a, b) -> a > b ? 1 : 0),
        GTE(null, (a, b) -> a >= b ? 1 : 0, (a, b) -> a >= b ? 1 : 0),
        LT(null, (a, b) -> a < b ? 1 : 0, (a, b) -> a < b ? 1 : 0),
        LTE(null, (a, b) -> a <= b ? 1 : 0, (a, b) -> a <= b ? 1 : 0),
        AND(null, (a, b) -> a != 0 && b != 0 ? 1 : 0, (a, b) -> a != 0 && b != 0 ? 1 : 0),
        OR(null, (a, b) -> a != 0 || b != 0 ? 1 : 0, (a, b) -> a != 0 || b != 0 ? 1 : 0),
        XOR(null, (a, b) -> (a != 0) != (b != 0) ? 1 : 0, (a, b) -> (a != 0) != (b != 0) ? 1 : 0);

        final BinaryOp kernel;
        final DoubleBinaryOperator d;
        final LongBinaryOperator l;

        Bin(BinaryOp kernel, DoubleBinaryOperator d, LongBinaryOperator l) {
            this.kernel = kernel;
            this.d = d;
            this.l = l;
        }

        boolean isPredicate() {
            return ordinal() >= EQ.ordinal();
        }
    }

    /** A scalar array of this manager holding {@code n} as type t. */
    InertiaNDArray scalarOf(Number n, DataType t) {
        InertiaNDArray s = alloc(new Shape(), t);
        if (Dt.isFloat(t)) {
            Dt.putD(s.seg(), t, 0, n.doubleValue());
        } else if (n instanceof Float || n instanceof Double) {
            Dt.putD(s.seg(), t, 0, n.doubleValue());
        } else {
            Dt.putL(s.seg(), t, 0, n.longValue());
        }
        return s;
    }

    /** a op b with broadcasting into a new array of type {@code outType} computed in {@code calcType}. */
    static InertiaNDArray binary(String opName, Bin op, InertiaNDArray a, InertiaNDArray b, DataType calcType,
            DataType outType) {
        Shape os = Dt.broadcast(opName, a.shape, b.shape);
        InertiaNDArray out = a.allocOutput(os, outType); // binaryInto writes every element
        binaryInto(op, a, b, calcType, out);
        return out;
    }

    /** Writes a op b (broadcast to out's shape) into out. */
    static void binaryInto(Bin op, InertiaNDArray a, InertiaNDArray b, DataType calcType, InertiaNDArray out) {
        Shape os = out.shape;
        long n = os.size();
        if (n == 0) {
            return;
        }
        if (op.kernel != null && Dt.isFloat(calcType) && a.dataType == calcType && b.dataType == calcType
                && out.dataType == calcType) {
            be().elementwise().binary(op.kernel, a.kernel(), b.kernel(), out.kernel());
            return;
        }
        if (!Dt.isFloat(calcType) && op.l == null) {
            calcType = DataType.FLOAT64;
        }
        long[] sa = Dt.broadcastStrides(a.shape, os);
        long[] sb = Dt.broadcastStrides(b.shape, os);
        MemorySegment ma = a.seg();
        MemorySegment mb = b.seg();
        MemorySegment mo = out.seg();
        DataType ta = a.dataType;
        DataType tb = b.dataType;
        DataType to = out.dataType;
        int r = os.dimension();
        long[] idx = new long[r];
        long ia = 0;
        long ib = 0;
        boolean isFloat = Dt.isFloat(calcType);
        boolean f32 = calcType == DataType.FLOAT32;
        for (long k = 0; k < n; k++) {
            if (isFloat) {
                double x = Dt.getD(ma, ta, ia);
                double y = Dt.getD(mb, tb, ib);
                if (f32) {
                    x = (float) x;
                    y = (float) y;
                }
                double v = op.d.applyAsDouble(x, y);
                Dt.putD(mo, to, k, f32 && !op.isPredicate() ? (float) v : v);
            } else {
                Dt.putL(mo, to, k, op.l.applyAsLong(Dt.getL(ma, ta, ia), Dt.getL(mb, tb, ib)));
            }
            for (int d = r - 1; d >= 0; d--) {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < os.get(d)) {
                    break;
                }
                ia -= sa[d] * idx[d];
                ib -= sb[d] * idx[d];
                idx[d] = 0;
            }
        }
    }

    private InertiaNDArray arith(String opName, Bin op, NDArray other) {
        InertiaNDArray b = cast(opName, "other", other);
        DataType t = Dt.promote(dataType, b.dataType);
        if (op == Bin.DIV && !Dt.isFloat(t)) {
            t = DataType.FLOAT32; // true division, as PyTorch's torch.div
        }
        InertiaNDArray out = binary(opName, op, this, b, t, t);
        if (Grad.active(this, b)) {
            Grad.binary(opName, op, this, b, out);
        }
        return out;
    }

    private InertiaNDArray arith(String opName, Bin op, Number n) {
        DataType t = Dt.withScalar(dataType, n);
        if (op == Bin.DIV && !Dt.isFloat(t)) {
            t = DataType.FLOAT32;
        }
        InertiaNDArray s = scalarOf(n, t);
        InertiaNDArray out = binary(opName, op, this, s, t, t);
        if (Grad.active(this)) {
            Grad.binary(opName, op, this, s, out); // the backward reads s: it stays with this array's manager
        } else {
            s.close();
        }
        return out;
    }

    private InertiaNDArray arithInPlace(String opName, Bin op, InertiaNDArray b) {
        Grad.checkInPlace(opName, this);
        Shape os = Dt.broadcast(opName, shape, b.shape);
        if (!os.equals(shape)) {
            throw new IllegalArgumentException(opName + ": the result shape " + os + " differs from this array's "
                    + "shape " + shape + " (in-place operations cannot grow an array)");
        }
        DataType t = Dt.promote(dataType, b.dataType);
        if (op == Bin.DIV && !Dt.isFloat(t)) {
            t = DataType.FLOAT32;
        }
        if (t == dataType && (op.kernel == null || !Dt.isFloat(t) || b.dataType == t)) {
            if (op.kernel != null && Dt.isFloat(t) && size() > 0) {
                be().elementwise().binaryInPlace(op.kernel, kernel(), b.kernel());
            } else {
                binaryInto(op, this, b, t, this);
            }
        } else {
            try (InertiaNDArray r = binary(opName, op, this, b, t, t)) {
                setFrom(r);
            }
        }
        return this;
    }

    private InertiaNDArray arithInPlace(String opName, Bin op, Number n) {
        try (InertiaNDArray s = scalarOf(n, Dt.withScalar(dataType, n))) {
            return arithInPlace(opName, op, s);
        }
    }

    private InertiaNDArray compare(String opName, Bin op, NDArray other) {
        InertiaNDArray b = cast(opName, "other", other);
        return binary(opName, op, this, b, Dt.promote(dataType, b.dataType), DataType.BOOLEAN);
    }

    private InertiaNDArray compare(String opName, Bin op, Number n) {
        DataType t = Dt.withScalar(dataType, n);
        try (InertiaNDArray s = scalarOf(n, t)) {
            return binary(opName, op, this, s, t, DataType.BOOLEAN);
        }
    }

    /** Unary functions with the kernel op where there is one. */
    InertiaNDArray unary(String opName, UnaryOp kop, DoubleUnaryOperator f, boolean keepIntType) {
        DataType t = Dt.isFloat(dataType) || keepIntType ? dataType : DataType.FLOAT32;
        InertiaNDArray out = allocOutput(shape, t); // both branches below write every element
        long n = size();
        if (n > 0) {
            if (kop != null && Dt.isFloat(dataType)) {
                be().elementwise().unary(kop, kernel(), out.kernel());
            } else {
                MemorySegment s = seg();
                MemorySegment o = out.seg();
                boolean f32 = t == DataType.FLOAT32;
                for (long i = 0; i < n; i++) {
                    double v = f.applyAsDouble(Dt.getD(s, dataType, i));
                    Dt.putD(o, t, i, f32 ? (float) v : v);
                }
            }
        }
        return out;
    }

    private InertiaNDArray unaryGrad(String opName, UnaryOp kop, DoubleUnaryOperator f,
            java.util.function.BiFunction<InertiaNDArray, InertiaNDArray, NDArray> dfdx) {
        InertiaNDArray out = unary(opName, kop, f, false);
        if (Grad.active(this)) {
            Grad.record(out, opName, new InertiaNDArray[] {this}, g -> new NDArray[] {dfdx.apply(g, out)});
        }
        return out;
    }

    // ------------------------------------------------------------------ comparisons

    @Override
    public NDArray eq(Number n) {
        return compare("eq", Bin.EQ, n);
    }

    @Override
    public NDArray eq(NDArray other) {
        return compare("eq", Bin.EQ, other);
    }

    @Override
    public NDArray neq(Number n) {
        return compare("neq", Bin.NEQ, n);
    }

    @Override
    public NDArray neq(NDArray other) {
        return compare("neq", Bin.NEQ, other);
    }

    @Override
    public NDArray gt(Number n) {
        return compare("gt", Bin.GT, n);
    }

    @Override
    public NDArray gt(NDArray other) {
        return compare("gt", Bin.GT, other);
    }

    @Override
    public NDArray gte(Number n) {
        return compare("gte", Bin.GTE, n);
    }

    @Override
    public NDArray gte(NDArray other) {
        return compare("gte", Bin.GTE, other);
    }

    @Override
    public NDArray lt(Number n) {
        return compare("lt", Bin.LT, n);
    }

    @Override
    public NDArray lt(NDArray other) {
        return compare("lt", Bin.LT, other);
    }

    @Override
    public NDArray lte(Number n) {
        return compare("lte", Bin.LTE, n);
    }

    @Override
    public NDArray lte(NDArray other) {
        return compare("lte", Bin.LTE, other);
    }

    // ------------------------------------------------------------------ arithmetic

    @Override
    public NDArray add(Number n) {
        return arith("add", Bin.ADD, n);
    }

    @Override
    public NDArray add(NDArray other) {
        return arith("add", Bin.ADD, other);
    }

    @Override
    public NDArray sub(Number n) {
        return arith("sub", Bin.SUB, n);
    }

    @Override
    public NDArray sub(NDArray other) {
        return arith("sub", Bin.SUB, other);
    }

    @Override
    public NDArray mul(Number n) {
        return arith("mul", Bin.MUL, n);
    }

    @Override
    public NDArray mul(NDArray other) {
        return arith("mul", Bin.MUL, other);
    }

    @Override
    public NDArray div(Number n) {
        return arith("div", Bin.DIV, n);
    }

    @Override
    public NDArray div(NDArray other) {
        return arith("div", Bin.DIV, other);
    }

    @Override
    public NDArray mod(Number n) {
        return arith("mod", Bin.MOD, n);
    }

    @Override
    public NDArray mod(NDArray other) {
        return arith("mod", Bin.MOD, other);
    }

    @Override
    public NDArray pow(Number n) {
        return arith("pow", Bin.POW, n);
    }

    @Override
    public NDArray pow(NDArray other) {
        return arith("pow", Bin.POW, other);
    }

    @Override
    public NDArray xlogy(NDArray other) {
        InertiaNDArray b = cast("xlogy", "other", other);
        DataType t = Dt.promote(dataType, b.dataType);
        if (!Dt.isFloat(t)) {
            t = DataType.FLOAT32;
        }
        return binary("xlogy", Bin.XLOGY, this, b, t, t);
    }

    @Override
    public NDArray addi(Number n) {
        return arithInPlace("addi", Bin.ADD, n);
    }

    @Override
    public NDArray addi(NDArray other) {
        return arithInPlace("addi", Bin.ADD, cast("addi", "other", other));
    }

    @Override
    public NDArray subi(Number n) {
        return arithInPlace("subi", Bin.SUB, n);
    }

    @Override
    public NDArray subi(NDArray other) {
        return arithInPlace("subi", Bin.SUB, cast("subi", "other", other));
    }

    @Override
    public NDArray muli(Number n) {
        return arithInPlace("muli", Bin.MUL, n);
    }

    @Override
    public NDArray muli(NDArray other) {
        return arithInPlace("muli", Bin.MUL, cast("muli", "other", other));
    }

    @Override
    public NDArray divi(Number n) {
        return arithInPlace("divi", Bin.DIV, n);
    }

    @Override
    public NDArray divi(NDArray other) {
        return arithInPlace("divi", Bin.DIV, cast("divi", "other", other));
    }

    @Override
    public NDArray modi(Number n) {
        return arithInPlace("modi", Bin.MOD, n);
    }

    @Override
    public NDArray modi(NDArray other) {
        return arithInPlace("modi", Bin.MOD, cast("modi", "other", other));
    }

    @Override
    public NDArray powi(Number n) {
        return arithInPlace("powi", Bin.POW, n);
    }

    @Override
    public NDArray powi(NDArray other) {
        return arithInPlace("powi", Bin.POW, cast("powi", "other", other));
    }

    @Override
    public NDArray maximum(Number n) {
        return arith("maximum", Bin.MAX, n);
    }

    @Override
    public NDArray maximum(NDArray other) {
        return arith("maximum", Bin.MAX, other);
    }

    @Override
    public NDArray minimum(Number n) {
        return arith("minimum", Bin.MIN, n);
    }

    @Override
    public NDArray minimum(NDArray other) {
        return arith("minimum", Bin.MIN, other);
    }

    @Override
    public NDArray atan2(NDArray other) {
        InertiaNDArray b = cast("atan2", "other", other);
        DataType t = Dt.promote(dataType, b.dataType);
        if (!Dt.isFloat(t)) {
            t = DataType.FLOAT32;
        }
        return binary("atan2", Bin.ATAN2, this, b, t, t);
    }

    // ------------------------------------------------------------------ unary

    @Override
    public NDArray sign() {
        return unary("sign", null, Math::signum, true);
    }

    @Override
    public NDArray signi() {
        Grad.checkInPlace("signi", this);
        try (InertiaNDArray r = (InertiaNDArray) sign()) {
            setFrom(r);
        }
        return this;
    }

    @Override
    public NDArray neg() {
        if (isIntegral()) {
            try (InertiaNDArray z = scalarOf(0, dataType)) {
                return binary("neg", Bin.SUB, z, this, dataType, dataType);
            }
        }
        InertiaNDArray out = unary("neg", UnaryOp.NEG, x -> -x, false);
        if (Grad.active(this)) {
            Grad.recordNode(out, KernelNodes.neg(Grad.tensorFor(this)));
        }
        return out;
    }

    @Override
    public NDArray negi() {
        Grad.checkInPlace("negi", this);
        try (InertiaNDArray r = (InertiaNDArray) neg()) {
            setFrom(r);
        }
        return this;
    }

    @Override
    public NDArray abs() {
        if (isIntegral()) {
            return fromLongs(Arrays.stream(longs()).map(Math::abs).toArray(), shape, dataType);
        }
        return unaryGrad("abs", UnaryOp.ABS, Math::abs, (g, y) -> g.mul(sign()));
    }

    @Override
    public NDArray square() {
        if (isIntegral()) {
            return mul(this);
        }
        return unaryGrad("square", null, x -> x * x, (g, y) -> g.mul(this).mul(2));
    }

    @Override
    public NDArray sqrt() {
        return unaryGrad("sqrt", UnaryOp.SQRT, Math::sqrt, (g, y) -> g.div(y.mul(2)));
    }

    @Override
    public NDArray cbrt() {
        return unaryGrad("cbrt", null, Math::cbrt, (g, y) -> g.div(y.square().mul(3)));
    }

    @Override
    public NDArray floor() {
        return unary("floor", null, Math::floor, true);
    }

    @Override
    public NDArray ceil() {
        return unary("ceil", null, Math::ceil, true);
    }

    @Override
    public NDArray round() {
        return unary("round", null, Math::rint, true);
    }

    @Override
    public NDArray trunc() {
        return unary("trunc", null, x -> x < 0 ? Math.ceil(x) : Math.floor(x), true);
    }

    @Override
    public NDArray exp() {
        return unaryGrad("exp", UnaryOp.EXP, Math::exp, (g, y) -> g.mul(y));
    }

    @Override
    public NDArray gammaln() {
        return unary("gammaln", null, Special::lgamma, false);
    }

    @Override
    public NDArray log() {
        return unaryGrad("log", UnaryOp.LOG, Math::log, (g, y) -> g.div(this));
    }

    @Override
    public NDArray log10() {
        return unaryGrad("log10", null, Math::log10, (g, y) -> g.div(this.mul(Math.log(10))));
    }

    @Override
    public NDArray log2() {
        return unaryGrad("log2", null, x -> Math.log(x) / Math.log(2), (g, y) -> g.div(this.mul(Math.log(2))));
    }

    @Override
    public NDArray sin() {
        return unaryGrad("sin", null, Math::sin, (g, y) -> g.mul(cos()));
    }

    @Override
    public NDArray cos() {
        return unaryGrad("cos", null, Math::cos, (g, y) -> g.mul(sin()).neg());
    }

    @Override
    public NDArray tan() {
        return unaryGrad("tan", null, Math::tan, (g, y) -> g.mul(y.square().add(1)));
    }

    @Override
    public NDArray asin() {
        return unaryGrad("asin", null, Math::asin, (g, y) -> g.div(square().neg().add(1).sqrt()));
    }

    @Override
    public NDArray acos() {
        return unaryGrad("acos", null, Math::acos, (g, y) -> g.div(square().neg().add(1).sqrt()).neg());
    }

    @Override
    public NDArray atan() {
        return unaryGrad("atan", null, Math::atan, (g, y) -> g.div(square().add(1)));
    }

    @Override
    public NDArray sinh() {
        return unaryGrad("sinh", null, Math::sinh, (g, y) -> g.mul(cosh()));
    }

    @Override
    public NDArray cosh() {
        return unaryGrad("cosh", null, Math::cosh, (g, y) -> g.mul(sinh()));
    }

    @Override
    public NDArray tanh() {
        return unaryGrad("tanh", UnaryOp.TANH, Math::tanh, (g, y) -> g.mul(y.square().neg().add(1)));
    }

    @Override
    public NDArray asinh() {
        return unaryGrad("asinh", null, x -> Math.log(x + Math.sqrt(x * x + 1)),
                (g, y) -> g.div(square().add(1).sqrt()));
    }

    @Override
    public NDArray acosh() {
        return unaryGrad("acosh", null, x -> Math.log(x + Math.sqrt(x * x - 1)),
                (g, y) -> g.div(square().sub(1).sqrt()));
    }

    @Override
    public NDArray atanh() {
        return unaryGrad("atanh", null, x -> 0.5 * Math.log((1 + x) / (1 - x)),
                (g, y) -> g.div(square().neg().add(1)));
    }

    @Override
    public NDArray toDegrees() {
        return unaryGrad("toDegrees", null, Math::toDegrees, (g, y) -> g.mul(180 / Math.PI));
    }

    @Override
    public NDArray toRadians() {
        return unaryGrad("toRadians", null, Math::toRadians, (g, y) -> g.mul(Math.PI / 180));
    }

    @Override
    public NDArray isInfinite() {
        return predicate(Double::isInfinite);
    }

    @Override
    public NDArray isNaN() {
        return predicate(Double::isNaN);
    }

    private InertiaNDArray predicate(java.util.function.DoublePredicate p) {
        InertiaNDArray out = alloc(shape, DataType.BOOLEAN);
        long n = size();
        for (long i = 0; i < n; i++) {
            Dt.putL(out.seg(), DataType.BOOLEAN, i, p.test(getD(i)) ? 1 : 0);
        }
        return out;
    }

    @Override
    public NDArray erfinv() {
        return unaryGrad("erfinv", null, Special::erfinv,
                (g, y) -> g.mul(y.square().exp().mul(Math.sqrt(Math.PI) / 2)));
    }

    @Override
    public NDArray erf() {
        return unaryGrad("erf", null, Special::erf,
                (g, y) -> g.mul(square().neg().exp().mul(2 / Math.sqrt(Math.PI))));
    }

    // ------------------------------------------------------------------ logical

    private InertiaNDArray logical(String opName, Bin op, NDArray other) {
        InertiaNDArray b = cast(opName, "other", other);
        return binary(opName, op, this, b, DataType.INT64, DataType.BOOLEAN);
    }

    @Override
    public NDArray logicalAnd(NDArray other) {
        return logical("logicalAnd", Bin.AND, other);
    }

    @Override
    public NDArray logicalOr(NDArray other) {
        return logical("logicalOr", Bin.OR, other);
    }

    @Override
    public NDArray logicalXor(NDArray other) {
        return logical("logicalXor", Bin.XOR, other);
    }

    @Override
    public NDArray logicalNot() {
        InertiaNDArray out = alloc(shape, DataType.BOOLEAN);
        long n = size();
        for (long i = 0; i < n; i++) {
            Dt.putL(out.seg(), DataType.BOOLEAN, i, getD(i) == 0 ? 1 : 0);
        }
        return out;
    }

    @Override
    public NDArray clip(Number min, Number max) {
        double lo = min.doubleValue();
        double hi = max.doubleValue();
        InertiaNDArray out;
        if (Dt.isFloat(dataType) && size() > 0) {
            out = alloc(shape, dataType);
            be().elementwise().clamp(kernel(), lo, hi, out.kernel());
        } else if (Dt.isFloat(dataType)) {
            out = alloc(shape, dataType);
        } else {
            long l = min.longValue();
            long h = max.longValue();
            out = fromLongs(Arrays.stream(longs()).map(v -> Math.min(Math.max(v, l), h)).toArray(), shape, dataType);
        }
        if (Grad.active(this)) {
            Grad.record(out, "clip", new InertiaNDArray[] {this},
                    g -> new NDArray[] {g.mul(gte(lo).logicalAnd(lte(hi)).toType(dataType, false))});
        }
        return out;
    }

    // ------------------------------------------------------------------ reductions

    /** Normalized, sorted, distinct reduction axes (all axes when null). */
    int[] reductionAxes(String op, int[] axes) {
        int r = shape.dimension();
        if (axes == null) {
            int[] all = new int[r];
            for (int i = 0; i < r; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            a[i] = Dt.axis(op, axes[i], r);
        }
        a = Arrays.stream(a).distinct().sorted().toArray();
        if (r == 0) {
            return new int[0];
        }
        return a;
    }

    Shape reducedShape(int[] axes, boolean keepDims) {
        int r = shape.dimension();
        long[] dims = new long[r];
        int n = 0;
        for (int i = 0; i < r; i++) {
            boolean red = Arrays.binarySearch(axes, i) >= 0;
            if (!red) {
                dims[n++] = shape.get(i);
            } else if (keepDims) {
                dims[n++] = 1;
            }
        }
        return Dt.shape(n == r ? dims : Arrays.copyOf(dims, n));
    }

    /** Generic reduction: for each output element, folds the reduced elements in index order. */
    interface Fold {
        double apply(double[] values, int n);
    }

    private InertiaNDArray reduce(String op, int[] axesIn, boolean keepDims, DataType outType, Fold fold) {
        int[] axes = reductionAxes(op, axesIn);
        Shape outShape = reducedShape(axes, keepDims);
        InertiaNDArray out = alloc(outShape, outType);
        int r = shape.dimension();
        long[] st = Dt.strides(shape);
        // kept and reduced dims
        int nk = r - axes.length;
        long[] keptDims = new long[nk];
        long[] keptStr = new long[nk];
        long[] redDims = new long[axes.length];
        long[] redStr = new long[axes.length];
        int ki = 0;
        int ri = 0;
        for (int i = 0; i < r; i++) {
            if (Arrays.binarySearch(axes, i) >= 0) {
                redDims[ri] = shape.get(i);
                redStr[ri++] = st[i];
            } else {
                keptDims[ki] = shape.get(i);
                keptStr[ki++] = st[i];
            }
        }
        long redN = 1;
        for (long d : redDims) {
            redN *= d;
        }
        double[] buf = new double[Math.toIntExact(redN)];
        MemorySegment s = seg();
        long outN = outShape.size();
        long[] kidx = new long[nk];
        long base = 0;
        for (long o = 0; o < outN; o++) {
            long[] ridx = new long[axes.length];
            long off = base;
            for (int j = 0; j < redN; j++) {
                buf[j] = Dt.getD(s, dataType, off);
                for (int d = axes.length - 1; d >= 0; d--) {
                    ridx[d]++;
                    off += redStr[d];
                    if (ridx[d] < redDims[d]) {
                        break;
                    }
                    off -= redStr[d] * ridx[d];
                    ridx[d] = 0;
                }
            }
            Dt.putD(out.seg(), outType, o, fold.apply(buf, (int) redN));
            for (int d = nk - 1; d >= 0; d--) {
                kidx[d]++;
                base += keptStr[d];
                if (kidx[d] < keptDims[d]) {
                    break;
                }
                base -= keptStr[d] * kidx[d];
                kidx[d] = 0;
            }
        }
        return out;
    }

    /** Integer reductions exactly in long arithmetic. */
    private InertiaNDArray reduceLong(String op, int[] axesIn, boolean keepDims, DataType outType,
            LongBinaryOperator f, long identity) {
        int[] axes = reductionAxes(op, axesIn);
        Shape outShape = reducedShape(axes, keepDims);
        InertiaNDArray out = alloc(outShape, outType);
        long[] acc = new long[Math.toIntExact(outShape.size())];
        Arrays.fill(acc, identity);
        boolean[] init = new boolean[acc.length];
        int r = shape.dimension();
        long[] outStr = Dt.strides(reducedShape(axes, true));
        long[] idx = new long[r];
        long n = size();
        MemorySegment s = seg();
        for (long k = 0; k < n; k++) {
            long o = 0;
            for (int d = 0; d < r; d++) {
                if (Arrays.binarySearch(axes, d) < 0) {
                    o += idx[d] * outStr[d];
                }
            }
            long v = Dt.getL(s, dataType, k);
            int oi = (int) o;
            acc[oi] = init[oi] || identity != Long.MIN_VALUE ? f.applyAsLong(acc[oi], v) : v;
            init[oi] = true;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < shape.get(d)) {
                    break;
                }
                idx[d] = 0;
            }
        }
        for (int i = 0; i < acc.length; i++) {
            Dt.putL(out.seg(), outType, i, acc[i]);
        }
        return out;
    }

    private static DataType sumType(DataType t) {
        return Dt.isFloat(t) ? t : DataType.INT64;
    }

    @Override
    public NDArray sum() {
        return sum(null, false);
    }

    @Override
    public NDArray sum(int[] axes, boolean keepDims) {
        seg();
        int[] ax = reductionAxes("sum", axes);
        InertiaNDArray out;
        if (!Dt.isFloat(dataType)) {
            out = reduceLong("sum", axes, keepDims, DataType.INT64, Long::sum, 0);
        } else if (size() > 0 && ax.length > 0) {
            out = kernelReduce(ax, keepDims, false);
        } else {
            out = reduce("sum", axes, keepDims, dataType, (v, n) -> {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += v[i];
                }
                return s;
            });
        }
        if (Grad.active(this)) {
            Shape keep = reducedShape(ax, true);
            Grad.record(out, "sum", new InertiaNDArray[] {this},
                    g -> new NDArray[] {g.reshape(keep).broadcast(shape).duplicate()});
        }
        return out;
    }

    /** Sum or mean over sorted axes with the reduction kernels, one axis at a time from the last. */
    private InertiaNDArray kernelReduce(int[] ax, boolean keepDims, boolean mean) {
        NdArray cur = kernel();
        List<NdArray> temps = new ArrayList<>();
        try {
            for (int i = ax.length - 1; i >= 0; i--) {
                int[] d = cur.shape().dims();
                d[ax[i]] = 1;
                NdArray next = NdArray.zeros(cur.dtype(), d);
                temps.add(next);
                if (mean) {
                    be().reductions().mean(cur, ax[i], next);
                } else {
                    be().reductions().sum(cur, ax[i], next);
                }
                cur = next;
            }
            InertiaNDArray out = allocOutput(reducedShape(ax, keepDims), dataType); // the copy writes it all
            if (out.size() > 0) {
                MemorySegment.copy(cur.segment(), 0, out.seg(), 0, out.data.byteSize());
            }
            return out;
        } finally {
            temps.forEach(NdArray::close);
        }
    }

    @Override
    public NDArray mean() {
        return mean(null, false);
    }

    @Override
    public NDArray mean(int[] axes, boolean keepDims) {
        seg();
        int[] ax = reductionAxes("mean", axes);
        InertiaNDArray out;
        if (Dt.isFloat(dataType) && size() > 0 && ax.length > 0) {
            out = kernelReduce(ax, keepDims, true);
        } else {
            DataType t = Dt.isFloat(dataType) ? dataType : DataType.FLOAT32;
            out = reduce("mean", axes, keepDims, t, (v, n) -> {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += v[i];
                }
                return s / n;
            });
        }
        if (Grad.active(this)) {
            long count = Math.max(1, size() / Math.max(1, out.size()));
            if (out.size() == 1 && size() > 0 && Dt.isFloat(dataType)) { // every element reduced: each gets g / count
                Grad.recordNode(out, KernelNodes.meanAll(Grad.tensorFor(this), count));
            } else {
                Shape keep = reducedShape(ax, true);
                Grad.record(out, "mean", new InertiaNDArray[] {this},
                        g -> new NDArray[] {g.reshape(keep).broadcast(shape).div((double) count)});
            }
        }
        return out;
    }

    @Override
    public NDArray max() {
        return max(null, false);
    }

    @Override
    public NDArray max(int[] axes, boolean keepDims) {
        return extreme("max", axes, keepDims, true);
    }

    @Override
    public NDArray min() {
        return min(null, false);
    }

    @Override
    public NDArray min(int[] axes, boolean keepDims) {
        return extreme("min", axes, keepDims, false);
    }

    private InertiaNDArray extreme(String op, int[] axes, boolean keepDims, boolean isMax) {
        seg();
        int[] ax = reductionAxes(op, axes);
        for (int a : ax) {
            if (shape.get(a) == 0) {
                throw new IllegalArgumentException(op + ": cannot reduce the empty axis " + a + " of shape " + shape);
            }
        }
        if (ax.length == 0 && size() == 0) {
            throw new IllegalArgumentException(op + " of an empty array " + shape);
        }
        InertiaNDArray out;
        if (!Dt.isFloat(dataType)) {
            out = reduceLong(op, axes, keepDims, dataType, isMax ? Math::max : Math::min, Long.MIN_VALUE);
        } else {
            out = reduce(op, axes, keepDims, dataType, (v, n) -> {
                double m = v[0];
                for (int i = 1; i < n; i++) {
                    if (Double.isNaN(v[i]) || Double.isNaN(m)) {
                        m = Double.NaN;
                    } else {
                        m = isMax ? Math.max(m, v[i]) : Math.min(m, v[i]);
                    }
                }
                return m;
            });
        }
        if (Grad.active(this)) {
            Shape keep = reducedShape(ax, true);
            Grad.record(out, op, new InertiaNDArray[] {this}, g -> {
                NDArray mask = eq(out.reshape(keep)).toType(dataType, false);
                NDArray count = mask.sum(ax, true);
                return new NDArray[] {mask.mul(g.reshape(keep)).div(count)};
            });
        }
        return out;
    }

    @Override
    public NDArray prod() {
        return prod(null, false);
    }

    @Override
    public NDArray prod(int[] axes, boolean keepDims) {
        if (!Dt.isFloat(dataType)) {
            return reduceLong("prod", axes, keepDims, DataType.INT64, (a, b) -> a * b, 1);
        }
        return reduce("prod", axes, keepDims, dataType, (v, n) -> {
            double p = 1;
            for (int i = 0; i < n; i++) {
                p *= v[i];
            }
            return p;
        });
    }

    @Override
    public NDArray cumSum() {
        return flatten().cumSum(0);
    }

    @Override
    public NDArray cumSum(int axis) {
        return cumulative("cumSum", axis, sumType(dataType), false);
    }

    @Override
    public NDArray cumProd(int axis) {
        return cumulative("cumProd", axis, sumType(dataType), true);
    }

    @Override
    public NDArray cumProd(int axis, DataType t) {
        try (InertiaNDArray c = convert(Dt.check("cumProd", t))) {
            return c.cumulative("cumProd", axis, t, true);
        }
    }

    private InertiaNDArray cumulative(String op, int axis, DataType outType, boolean prod) {
        int a = Dt.axis(op, axis, shape.dimension());
        InertiaNDArray out = alloc(shape, outType);
        if (shape.dimension() == 0) {
            out.setFrom(this);
            return out;
        }
        long len = shape.get(a);
        long inner = 1;
        for (int i = a + 1; i < shape.dimension(); i++) {
            inner *= shape.get(i);
        }
        long outer = len == 0 || inner == 0 ? 0 : size() / (len * inner);
        boolean f = Dt.isFloat(outType);
        MemorySegment s = seg();
        for (long o = 0; o < outer; o++) {
            for (long in = 0; in < inner; in++) {
                double accD = prod ? 1 : 0;
                long accL = prod ? 1 : 0;
                for (long k = 0; k < len; k++) {
                    long idx = (o * len + k) * inner + in;
                    if (f) {
                        double v = Dt.getD(s, dataType, idx);
                        accD = prod ? accD * v : accD + v;
                        if (outType == DataType.FLOAT32) {
                            accD = (float) accD;
                        }
                        Dt.putD(out.seg(), outType, idx, accD);
                    } else {
                        long v = Dt.getL(s, dataType, idx);
                        accL = prod ? accL * v : accL + v;
                        Dt.putL(out.seg(), outType, idx, accL);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public NDArray argMax() {
        return flatten().argMax(0);
    }

    @Override
    public NDArray argMax(int axis) {
        return argExtreme("argMax", axis, true);
    }

    @Override
    public NDArray argMin() {
        return flatten().argMin(0);
    }

    @Override
    public NDArray argMin(int axis) {
        return argExtreme("argMin", axis, false);
    }

    private InertiaNDArray argExtreme(String op, int axis, boolean isMax) {
        if (isEmpty()) {
            throw new IllegalArgumentException(op + " of an empty array " + shape);
        }
        int a = Dt.axis(op, axis, shape.dimension());
        int[] ax = shape.dimension() == 0 ? new int[0] : new int[] {a};
        return reduce(op, ax, false, DataType.INT64, (v, n) -> {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (Double.isNaN(v[best])) {
                    break;
                }
                if (Double.isNaN(v[i]) || (isMax ? v[i] > v[best] : v[i] < v[best])) {
                    best = i;
                }
            }
            return best;
        });
    }

    @Override
    public NDArray softmax(int axis) {
        return softmaxImpl("softmax", axis, false);
    }

    @Override
    public NDArray logSoftmax(int axis) {
        return softmaxImpl("logSoftmax", axis, true);
    }

    private InertiaNDArray softmaxImpl(String op, int axis, boolean log) {
        Dt.floating(op, dataType);
        int a = Dt.axis(op, axis, shape.dimension());
        InertiaNDArray out = allocOutput(shape, dataType); // every element is written below
        if (size() > 0) {
            if (shape.dimension() == 0) {
                out.fill(log ? 0 : 1);
            } else if (log) {
                be().reductions().logSoftmax(kernel(), a, out.kernel());
            } else {
                be().reductions().softmax(kernel(), a, out.kernel());
            }
        }
        if (Grad.active(this)) {
            int[] ax = {a};
            if (log && shape.dimension() > 0) {
                Grad.recordNode(out, KernelNodes.logSoftmax(Grad.tensorFor(this), out, a)); // g - softmax * sum(g)
            } else {
                Grad.record(out, op, new InertiaNDArray[] {this}, g -> {
                    if (log) {
                        return new NDArray[] {g.sub(out.exp().mul(g.sum(ax, true)))};
                    }
                    return new NDArray[] {out.mul(g.sub(g.mul(out).sum(ax, true)))};
                });
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ shapes

    @Override
    public NDArray reshape(Shape newShape) {
        seg();
        long[] dims = newShape.getShape().clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: at most one dimension may be -1, got " + newShape);
                }
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid dimension " + dims[i] + " in " + newShape);
            } else {
                known *= dims[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer the -1 of " + newShape + " for " + size()
                        + " elements (shape " + shape + ")");
            }
            dims[infer] = size() / known;
        }
        Shape target = Dt.shape(dims);
        if (target.size() != size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + shape + " (" + size() + " elements) to "
                    + newShape);
        }
        InertiaNDArray out = duplicateRaw();
        out.shape = target;
        if (Grad.active(this)) {
            Grad.record(out, "reshape", new InertiaNDArray[] {this}, g -> new NDArray[] {g.reshape(shape)});
        }
        return out;
    }

    @Override
    public NDArray flatten() {
        return reshape(new Shape(size()));
    }

    @Override
    public NDArray flatten(int startDim, int endDim) {
        int r = shape.dimension();
        int s = Dt.axis("flatten", startDim, r);
        int e = Dt.axis("flatten", endDim, r);
        if (e < s) {
            throw new IllegalArgumentException("flatten: endDim " + endDim + " is before startDim " + startDim);
        }
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            dims.add(shape.get(i));
        }
        long m = 1;
        for (int i = s; i <= e; i++) {
            m *= shape.get(i);
        }
        dims.add(m);
        for (int i = e + 1; i < r; i++) {
            dims.add(shape.get(i));
        }
        return reshape(new Shape(dims.stream().mapToLong(Long::longValue).toArray()));
    }

    @Override
    public NDArray expandDims(int axis) {
        int r = shape.dimension();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) {
            throw new IllegalArgumentException("expandDims: axis " + axis + " is out of range for rank " + r);
        }
        long[] d = new long[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            d[i] = i == a ? 1 : shape.get(j++);
        }
        return reshape(new Shape(d));
    }

    @Override
    public NDArray squeeze(int[] axes) {
        int r = shape.dimension();
        if (r == 0) {
            for (int ax : axes) {
                Dt.axis("squeeze", ax, 0);
            }
            return reshape(shape);
        }
        boolean[] drop = new boolean[r];
        for (int ax : axes) {
            int a = Dt.axis("squeeze", ax, r);
            if (shape.get(a) != 1) {
                throw new IllegalArgumentException("squeeze: axis " + ax + " of shape " + shape + " has size "
                        + shape.get(a) + ", not 1");
            }
            drop[a] = true;
        }
        List<Long> d = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (!drop[i]) {
                d.add(shape.get(i));
            }
        }
        return reshape(new Shape(d.stream().mapToLong(Long::longValue).toArray()));
    }

    @Override
    public NDArray transpose() {
        int r = shape.dimension();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = r - 1 - i;
        }
        return transpose(p);
    }

    @Override
    public NDArray transpose(int... axes) {
        int r = shape.dimension();
        if (axes.length != r) {
            throw new IllegalArgumentException("transpose: " + axes.length + " axes given for an array of rank " + r
                    + " (" + shape + ")");
        }
        int[] p = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Dt.axis("transpose", axes[i], r);
            if (seen[p[i]]) {
                throw new IllegalArgumentException("transpose: repeated axis in " + Arrays.toString(axes));
            }
            seen[p[i]] = true;
        }
        long[] nd = new long[r];
        for (int i = 0; i < r; i++) {
            nd[i] = shape.get(p[i]);
        }
        InertiaNDArray out = alloc(new Shape(nd), dataType);
        if (size() > 0) {
            if (Dt.kernel(dataType) != null) {
                out.kernel().copyFrom(kernel().permute(p));
            } else {
                long[] st = Dt.strides(shape);
                long[] ps = new long[r];
                for (int i = 0; i < r; i++) {
                    ps[i] = st[p[i]];
                }
                copyStrided(seg(), ps, 0, out, Dt.size(dataType));
            }
        }
        if (Grad.active(this)) {
            int[] inv = new int[r];
            for (int i = 0; i < r; i++) {
                inv[p[i]] = i;
            }
            Grad.record(out, "transpose", new InertiaNDArray[] {this}, g -> new NDArray[] {g.transpose(inv)});
        }
        return out;
    }

    /** Copies elements read with strides (in elements) from src into out's contiguous memory. */
    static void copyStrided(MemorySegment src, long[] strides, long offset, InertiaNDArray out, int es) {
        Shape os = out.shape;
        int r = os.dimension();
        long n = os.size();
        long[] idx = new long[r];
        long off = offset;
        MemorySegment o = out.seg();
        for (long k = 0; k < n; k++) {
            MemorySegment.copy(src, off * es, o, k * es, es);
            for (int d = r - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < os.get(d)) {
                    break;
                }
                off -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }
    }

    @Override
    public NDArray broadcast(Shape target) {
        Shape b = Dt.broadcast("broadcast", shape, target);
        if (!b.equals(target)) {
            throw new IllegalArgumentException("broadcast: cannot broadcast " + shape + " to " + target);
        }
        InertiaNDArray out = alloc(target, dataType);
        if (out.size() > 0) {
            copyStrided(seg(), Dt.broadcastStrides(shape, target), 0, out, Dt.size(dataType));
        }
        if (Grad.active(this)) {
            Grad.record(out, "broadcast", new InertiaNDArray[] {this}, g -> new NDArray[] {Grad.reduceTo(g, shape)});
        }
        return out;
    }

    @Override
    public NDArray flip(int... axes) {
        int r = shape.dimension();
        boolean[] f = new boolean[r];
        for (int a : axes) {
            f[Dt.axis("flip", a, r)] = !f[Dt.axis("flip", a, r)];
        }
        long[] st = Dt.strides(shape);
        InertiaNDArray out = alloc(shape, dataType);
        long n = size();
        int es = Dt.size(dataType);
        long[] idx = new long[r];
        for (long k = 0; k < n; k++) {
            long src = 0;
            for (int d = 0; d < r; d++) {
                src += (f[d] ? shape.get(d) - 1 - idx[d] : idx[d]) * st[d];
            }
            MemorySegment.copy(seg(), src * es, out.seg(), k * es, es);
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < shape.get(d)) {
                    break;
                }
                idx[d] = 0;
            }
        }
        if (Grad.active(this)) {
            Grad.record(out, "flip", new InertiaNDArray[] {this}, g -> new NDArray[] {g.flip(axes)});
        }
        return out;
    }

    @Override
    public NDList split(long[] indices, int axis) {
        int a = Dt.axis("split", axis, shape.dimension());
        long len = shape.get(a);
        NDList list = new NDList();
        if (indices.length > 0 && indices[0] == 0) {
            indices = Arrays.copyOfRange(indices, 1, indices.length); // DJL: split points, a leading 0 is the start
        }
        long prev = 0;
        for (int i = 0; i <= indices.length; i++) {
            long end = i < indices.length ? Math.min(Math.max(indices[i], prev), len) : len;
            if (i < indices.length && indices[i] < prev) {
                end = prev;
            }
            list.add(sliceAxis(a, prev, end));
            prev = end;
        }
        return list;
    }

    /** A copy of [start, end) along axis a. */
    InertiaNDArray sliceAxis(int a, long start, long end) {
        long[] min = new long[shape.dimension()];
        long[] max = shape.getShape().clone();
        long[] step = new long[shape.dimension()];
        Arrays.fill(step, 1);
        min[a] = start;
        max[a] = end;
        return slice(min, max, step);
    }

    /** A copy of the strided box [min, max) with steps (negative steps go from min down to max, exclusive). */
    InertiaNDArray slice(long[] minIn, long[] maxIn, long[] step) {
        long[] min = minIn;
        long[] max = maxIn;
        int r = shape.dimension();
        long[] nd = new long[r];
        long[] st = Dt.strides(shape);
        long[] ss = new long[r];
        long off = 0;
        min = min.clone();
        max = max.clone();
        for (int i = 0; i < r; i++) {
            long dim = shape.get(i);
            if (step[i] > 0) {
                min[i] = Math.min(Math.max(min[i], 0), dim);
                max[i] = Math.min(Math.max(max[i], min[i]), dim);
            } else {
                min[i] = Math.min(min[i], dim - 1);
                max[i] = Math.max(max[i], -1);
            }
        }
        for (int i = 0; i < r; i++) {
            long s = step[i];
            nd[i] = s > 0 ? Math.max(0, (max[i] - min[i] + s - 1) / s) : Math.max(0, (min[i] - max[i] - s - 1) / -s);
            off += min[i] * st[i];
            ss[i] = s * st[i];
        }
        InertiaNDArray out = alloc(new Shape(nd), dataType);
        if (out.size() > 0) {
            if (Dt.kernel(dataType) != null && allPositive(ss)) {
                NdArray v = NdArray.view(Storage.wrap(seg(), Dt.kernel(dataType)),
                        org.inertia.kernels.Shape.of(Dt.dims(new Shape(nd))), ss, off);
                out.kernel().copyFrom(v);
            } else {
                copyStrided(seg(), ss, off, out, Dt.size(dataType));
            }
        }
        if (Grad.active(this)) {
            long[] from = min;
            Grad.record(out, "slice", new InertiaNDArray[] {this}, g -> {
                InertiaNDArray z = (InertiaNDArray) zerosLike();
                z.scatterBox(from, step, (InertiaNDArray) g);
                return new NDArray[] {z};
            });
        }
        return out;
    }

    private static boolean allPositive(long[] s) {
        for (long v : s) {
            if (v < 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code value} (already of the box's shape) into the strided box starting at min. */
    void scatterBox(long[] min, long[] step, InertiaNDArray value) {
        int r = shape.dimension();
        long[] st = Dt.strides(shape);
        Shape vs = value.shape;
        long n = vs.size();
        long[] idx = new long[r];
        MemorySegment o = seg();
        boolean same = value.dataType == dataType;
        for (long k = 0; k < n; k++) {
            long off = 0;
            for (int d = 0; d < r; d++) {
                off += (min[d] + idx[d] * step[d]) * st[d];
            }
            if (same && Dt.isFloat(dataType)) {
                Dt.putD(o, dataType, off, value.getD(k));
            } else if (Dt.isFloat(dataType) || Dt.isFloat(value.dataType)) {
                Dt.putD(o, dataType, off, value.getD(k));
            } else {
                Dt.putL(o, dataType, off, value.getL(k));
            }
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < vs.get(d)) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    @Override
    public NDArray pad(Shape padding, double value) {
        int r = shape.dimension();
        int pairs = padding.dimension() / 2;
        if (padding.dimension() % 2 != 0 || pairs > r) {
            throw new IllegalArgumentException("pad: padding " + padding + " must hold pairs for at most " + r
                    + " dimensions");
        }
        long[] before = new long[r];
        long[] nd = shape.getShape().clone();
        for (int p = 0; p < pairs; p++) {
            int d = r - 1 - p;
            long lo = padding.get(2 * p);
            long hi = padding.get(2 * p + 1);
            if (lo < 0 || hi < 0) {
                throw new UnsupportedOperationException("pad: negative padding " + padding + " is not supported by "
                        + "the " + InertiaEngine.ENGINE_NAME + " engine");
            }
            before[d] = lo;
            nd[d] += lo + hi;
        }
        InertiaNDArray out = alloc(new Shape(nd), dataType);
        out.fill(value);
        long[] one = new long[r];
        Arrays.fill(one, 1);
        out.scatterBox(before, one, this);
        return out;
    }

    @Override
    public NDArray tile(long repeats) {
        long[] reps = new long[Math.max(1, shape.dimension())];
        Arrays.fill(reps, repeats);
        return tile(reps);
    }

    @Override
    public NDArray tile(int axis, long repeats) {
        long[] reps = new long[shape.dimension()];
        Arrays.fill(reps, 1);
        reps[Dt.axis("tile", axis, shape.dimension())] = repeats;
        return tile(reps);
    }

    @Override
    public NDArray tile(long[] repeats) {
        int r = Math.max(shape.dimension(), repeats.length);
        long[] src = new long[r];
        long[] rep = new long[r];
        for (int i = 0; i < r; i++) {
            int si = i - (r - shape.dimension());
            int ri = i - (r - repeats.length);
            src[i] = si >= 0 ? shape.get(si) : 1;
            rep[i] = ri >= 0 ? repeats[ri] : 1;
            if (rep[i] < 0) {
                throw new IllegalArgumentException("tile: negative repeat in " + Arrays.toString(repeats));
            }
        }
        long[] nd = new long[r];
        for (int i = 0; i < r; i++) {
            nd[i] = src[i] * rep[i];
        }
        Shape srcShape = new Shape(src);
        long[] st = Dt.strides(srcShape);
        InertiaNDArray out = alloc(new Shape(nd), dataType);
        long n = out.size();
        int es = Dt.size(dataType);
        long[] idx = new long[r];
        for (long k = 0; k < n; k++) {
            long off = 0;
            for (int d = 0; d < r; d++) {
                off += (idx[d] % src[d]) * st[d];
            }
            MemorySegment.copy(seg(), off * es, out.seg(), k * es, es);
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < nd[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    @Override
    public NDArray tile(Shape desiredShape) {
        int r = desiredShape.dimension();
        if (r < shape.dimension()) {
            throw new IllegalArgumentException("tile: target " + desiredShape + " has lower rank than " + shape);
        }
        long[] reps = new long[r];
        for (int i = 0; i < r; i++) {
            int si = i - (r - shape.dimension());
            long s = si >= 0 ? shape.get(si) : 1;
            if (s == 0 || desiredShape.get(i) % s != 0) {
                throw new IllegalArgumentException("tile: " + desiredShape + " is not a multiple of " + shape);
            }
            reps[i] = desiredShape.get(i) / s;
        }
        return tile(reps);
    }

    @Override
    public NDArray repeat(long repeats) {
        long[] reps = new long[Math.max(1, shape.dimension())];
        Arrays.fill(reps, repeats);
        return repeat(reps);
    }

    @Override
    public NDArray repeat(int axis, long repeats) {
        long[] reps = new long[shape.dimension()];
        Arrays.fill(reps, 1);
        reps[Dt.axis("repeat", axis, shape.dimension())] = repeats;
        return repeat(reps);
    }

    @Override
    public NDArray repeat(long[] repeats) {
        int r = shape.dimension();
        if (repeats.length > r) {
            throw new IllegalArgumentException("repeat: " + repeats.length + " repeats for an array of rank " + r);
        }
        long[] rep = new long[r];
        for (int i = 0; i < r; i++) {
            int ri = i - (r - repeats.length);
            rep[i] = ri >= 0 ? repeats[ri] : 1;
        }
        long[] nd = new long[r];
        for (int i = 0; i < r; i++) {
            nd[i] = shape.get(i) * rep[i];
        }
        long[] st = Dt.strides(shape);
        InertiaNDArray out = alloc(new Shape(nd), dataType);
        long n = out.size();
        int es = Dt.size(dataType);
        long[] idx = new long[r];
        for (long k = 0; k < n; k++) {
            long off = 0;
            for (int d = 0; d < r; d++) {
                off += (idx[d] / rep[d]) * st[d];
            }
            MemorySegment.copy(seg(), off * es, out.seg(), k * es, es);
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < nd[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    @Override
    public NDArray repeat(Shape desiredShape) {
        int r = shape.dimension();
        int k = desiredShape.dimension();
        if (k > r) {
            throw new IllegalArgumentException("repeat: target " + desiredShape + " has a higher rank than " + shape);
        }
        long[] reps = new long[k]; // aligned with the trailing dimensions
        for (int i = 0; i < k; i++) {
            long have = shape.get(r - k + i);
            if (have == 0 || desiredShape.get(i) % have != 0) {
                throw new IllegalArgumentException("repeat: " + desiredShape + " is not a multiple of " + shape);
            }
            reps[i] = desiredShape.get(i) / have;
        }
        return repeat(reps);
    }

    // ------------------------------------------------------------------ products

    @Override
    public NDArray dot(NDArray other) {
        InertiaNDArray b = cast("dot", "other", other);
        int ra = shape.dimension();
        int rb = b.shape.dimension();
        if (ra == 0 || rb == 0) {
            return mul(b);
        }
        if (ra == 1 && rb == 1) {
            if (shape.get(0) != b.shape.get(0)) {
                throw new IllegalArgumentException("dot: vectors of different lengths " + shape + " and " + b.shape);
            }
            return mul(b).sum();
        }
        if (rb == 1 || ra <= 2 && rb <= 2) {
            return matMul(b);
        }
        // NumPy's dot: sum over the last axis of this and the second-to-last of other
        long k = shape.get(ra - 1);
        if (k != b.shape.get(rb - 2)) {
            throw new IllegalArgumentException("dot: shapes " + shape + " and " + b.shape + " do not align (" + k
                    + " vs " + b.shape.get(rb - 2) + ")");
        }
        int[] perm = new int[rb];
        perm[0] = rb - 2;
        for (int i = 0; i < rb - 2; i++) {
            perm[i + 1] = i;
        }
        perm[rb - 1] = rb - 1;
        try (NDArray a2 = reshape(-1, k); NDArray bt = b.transpose(perm); NDArray b2 = bt.reshape(k, -1);
             NDArray prod = a2.matMul(b2)) {
            Shape os = shape.slice(0, ra - 1).addAll(b.shape.slice(0, rb - 2)).add(b.shape.get(rb - 1));
            return prod.reshape(os);
        }
    }

    @Override
    public NDArray matMul(NDArray other) {
        InertiaNDArray b = cast("matMul", "other", other);
        int ra = shape.dimension();
        int rb = b.shape.dimension();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("matMul: both operands need rank >= 1, got " + shape + " and "
                    + b.shape);
        }
        if (ra == 1 && rb == 1) {
            return dot(b);
        }
        if (ra == 1) {
            return ((InertiaNDArray) expandDims(0)).matMul(b).squeeze(new int[] {-2});
        }
        if (rb == 1) {
            return matMul(b.expandDims(1)).squeeze(new int[] {-1});
        }
        long k = shape.get(ra - 1);
        if (k != b.shape.get(rb - 2)) {
            throw new IllegalArgumentException("matMul: shapes " + shape + " and " + b.shape + " do not match (" + k
                    + " vs " + b.shape.get(rb - 2) + ")");
        }
        DataType t = Dt.promote(dataType, b.dataType);
        if (!Dt.isFloat(t)) {
            throw InertiaEngine.unsupported("matMul of " + dataType + " and " + b.dataType + " (integer matrix "
                    + "products)");
        }
        if (dataType != t || b.dataType != t) {
            try (InertiaNDArray x = convert(t); InertiaNDArray y = b.convert(t)) {
                return x.matMul(y);
            }
        }
        InertiaNDArray out;
        if (ra == 2 && rb == 2) {
            out = alloc(new Shape(shape.get(0), b.shape.get(1)), t);
            if (out.size() > 0) {
                if (k == 0) {
                    out.fill(0);
                } else {
                    be().gemm().gemm(false, false, 1.0, kernel(), b.kernel(), 0.0, out.kernel());
                }
            }
        } else {
            out = batched(b);
        }
        if (Grad.active(this, b)) {
            InertiaNDArray self = this;
            Grad.record(out, "matMul", new InertiaNDArray[] {this, b}, g -> new NDArray[] {
                Grad.reduceTo(g.matMul(b.swapAxes(rb - 1, rb - 2)), self.shape),
                Grad.reduceTo(self.swapAxes(ra - 1, ra - 2).matMul(g), b.shape)});
        }
        return out;
    }

    /** Broadcast batched matrix product of rank >= 2 operands. */
    private InertiaNDArray batched(InertiaNDArray b) {
        int ra = shape.dimension();
        int rb = b.shape.dimension();
        Shape ba = shape.slice(0, ra - 2);
        Shape bb = b.shape.slice(0, rb - 2);
        Shape batch = Dt.broadcast("matMul", ba, bb);
        long m = shape.get(ra - 2);
        long k = shape.get(ra - 1);
        long n = b.shape.get(rb - 1);
        Shape full = batch.addAll(new Shape(m, n));
        InertiaNDArray out = alloc(full, dataType);
        if (out.size() == 0) {
            return out;
        }
        try (InertiaNDArray x = (InertiaNDArray) broadcast(batch.addAll(new Shape(m, k)));
             InertiaNDArray y = (InertiaNDArray) b.broadcast(batch.addAll(new Shape(k, n)))) {
            int nb = Math.toIntExact(batch.size());
            NdArray xk = x.kernel().reshape(nb, (int) m, (int) k);
            NdArray yk = y.kernel().reshape(nb, (int) k, (int) n);
            NdArray ok = out.kernel().reshape(nb, (int) m, (int) n);
            if (k == 0) {
                out.fill(0);
            } else {
                be().gemm().gemmBatched(false, false, 1.0, xk, yk, 0.0, ok);
            }
        }
        return out;
    }

    @Override
    public NDArray batchMatMul(NDArray other) {
        InertiaNDArray b = cast("batchMatMul", "other", other);
        if (shape.dimension() != 3 || b.shape.dimension() != 3 || shape.get(0) != b.shape.get(0)) {
            throw new IllegalArgumentException("batchMatMul needs (B, m, k) and (B, k, n), got " + shape + " and "
                    + b.shape);
        }
        return matMul(b);
    }

    @Override
    public NDArray batchDot(NDArray other) {
        InertiaNDArray b = cast("batchDot", "other", other);
        if (shape.dimension() < 3 || b.shape.dimension() < 3) {
            throw new IllegalArgumentException("batchDot needs operands of rank >= 3, got " + shape + " and "
                    + b.shape);
        }
        return matMul(b);
    }

    // ------------------------------------------------------------------ sorting and search

    @Override
    public NDArray argSort(int axis, boolean ascending) {
        return sortImpl("argSort", axis, ascending, true);
    }

    @Override
    public NDArray sort() {
        return sort(-1);
    }

    @Override
    public NDArray sort(int axis) {
        return sortImpl("sort", axis, true, false);
    }

    private InertiaNDArray sortImpl(String op, int axis, boolean ascending, boolean indices) {
        if (shape.dimension() == 0) {
            return indices ? fromLongs(new long[] {0}, shape, DataType.INT64) : duplicateRaw();
        }
        int a = Dt.axis(op, axis, shape.dimension());
        long len = shape.get(a);
        long inner = 1;
        for (int i = a + 1; i < shape.dimension(); i++) {
            inner *= shape.get(i);
        }
        InertiaNDArray out = alloc(shape, indices ? DataType.INT64 : dataType);
        if (size() == 0) {
            return out;
        }
        long outer = size() / (len * inner);
        boolean f = Dt.isFloat(dataType);
        for (long o = 0; o < outer; o++) {
            for (long in = 0; in < inner; in++) {
                long base = o * len * inner + in;
                long fin = inner;
                Integer[] order = new Integer[(int) len];
                for (int i = 0; i < len; i++) {
                    order[i] = i;
                }
                Comparator<Integer> cmp = f
                        ? (x, y) -> Double.compare(getD(base + x * fin), getD(base + y * fin))
                        : (x, y) -> Long.compare(getL(base + x * fin), getL(base + y * fin));
                if (!ascending) {
                    cmp = cmp.reversed();
                }
                Arrays.sort(order, cmp);
                for (int i = 0; i < len; i++) {
                    long dst = base + i * inner;
                    if (indices) {
                        Dt.putL(out.seg(), DataType.INT64, dst, order[i]);
                    } else if (f) {
                        Dt.putD(out.seg(), dataType, dst, getD(base + order[i] * inner));
                    } else {
                        Dt.putL(out.seg(), dataType, dst, getL(base + order[i] * inner));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public NDList topK(int k, int axis, boolean largest, boolean sorted) {
        int a = Dt.axis("topK", axis, shape.dimension());
        if (k < 0 || k > shape.get(a)) {
            throw new IllegalArgumentException("topK: k = " + k + " is out of range for axis " + a + " of " + shape);
        }
        try (NDArray idx = sortImpl("topK", a, !largest, true)) {
            NDArray top = ((InertiaNDArray) idx).sliceAxis(a, 0, k);
            NDArray values = gather(top, a);
            return new NDList(values, top);
        }
    }

    @Override
    public NDArray nonzero() {
        if (shape.dimension() == 0) {
            try (NDArray v = reshape(1)) {
                return v.nonzero();
            }
        }
        int r = shape.dimension();
        List<long[]> hits = new ArrayList<>();
        long n = size();
        long[] idx = new long[r];
        for (long k = 0; k < n; k++) {
            if (getD(k) != 0) {
                hits.add(idx.clone());
            }
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < shape.get(d)) {
                    break;
                }
                idx[d] = 0;
            }
        }
        long[] flat = new long[hits.size() * r];
        for (int i = 0; i < hits.size(); i++) {
            System.arraycopy(hits.get(i), 0, flat, i * r, r);
        }
        return fromLongs(flat, new Shape(hits.size(), r), DataType.INT64);
    }

    // ------------------------------------------------------------------ gather / scatter / masks

    @Override
    public NDArray gather(NDArray index, int axis) {
        InertiaNDArray idx = cast("gather", "index", index);
        int r = shape.dimension();
        int a = Dt.axis("gather", axis, r);
        if (idx.shape.dimension() != r) {
            throw new IllegalArgumentException("gather: index " + idx.shape + " must have the rank of " + shape);
        }

        InertiaNDArray out = allocOutput(idx.shape, dataType); // every element is copied below
        long[] st = Dt.strides(shape);
        long[] dims = shape.getShape();
        long[] idims = idx.shape.getShape();
        long n = idx.size();
        long[] pos = new long[r];
        int es = Dt.size(dataType);
        boolean record = Grad.active(this) && Dt.isFloat(dataType) && n <= Integer.MAX_VALUE - 8;
        long[] offsets = record ? new long[(int) n] : null; // where each element came from, for the backward
        MemorySegment src = seg();
        MemorySegment dst = out.seg();
        MemorySegment is = idx.seg();
        DataType it = idx.dataType;
        for (long k = 0; k < n; k++) {
            long off = 0;
            for (int d = 0; d < r; d++) {
                long i = d == a ? Dt.getL(is, it, k) : pos[d];
                if (i < 0) {
                    i += dims[d];
                }
                if (i < 0 || i >= dims[d]) {
                    out.close();
                    throw new IndexOutOfBoundsException("gather: index " + idx.getL(k) + " is out of bounds for axis "
                            + d + " of shape " + shape);
                }
                off += i * st[d];
            }
            copyElement(src, off, dst, k, es);
            if (offsets != null) {
                offsets[(int) k] = off;
            }
            for (int d = r - 1; d >= 0; d--) {
                if (++pos[d] < idims[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
        if (offsets != null) {
            Grad.recordNode(out, KernelNodes.gather(Grad.tensorFor(this), offsets));
        } else if (Grad.active(this)) {
            Grad.record(out, "gather", new InertiaNDArray[] {this}, g -> {
                InertiaNDArray z = (InertiaNDArray) zerosLike();
                z.scatterAdd(idx, (InertiaNDArray) g, a);
                return new NDArray[] {z};
            });
        }
        return out;
    }

    /** dst[j] ← src[i] for elements of {@code es} bytes: the bits as they are (NaN payloads included). */
    private static void copyElement(MemorySegment src, long i, MemorySegment dst, long j, int es) {
        switch (es) {
            case 4 -> dst.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, j, src.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i));
            case 8 -> dst.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, j,
                    src.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i));
            default -> MemorySegment.copy(src, i * es, dst, j * es, es);
        }
    }

    /** this[index[p] along axis] += src[p] (float). */
    void scatterAdd(InertiaNDArray idx, InertiaNDArray src, int a) {
        int r = shape.dimension();
        long[] st = Dt.strides(shape);
        long n = idx.size();
        long[] pos = new long[r];
        for (long k = 0; k < n; k++) {
            long off = 0;
            for (int d = 0; d < r; d++) {
                long i = d == a ? idx.getL(k) : pos[d];
                off += (i < 0 ? i + shape.get(d) : i) * st[d];
            }
            Dt.putD(seg(), dataType, off, getD(off) + src.getD(k));
            for (int d = r - 1; d >= 0; d--) {
                if (++pos[d] < idx.shape.get(d)) {
                    break;
                }
                pos[d] = 0;
            }
        }
    }

    @Override
    public NDArray gatherNd(NDArray index) {
        InertiaNDArray idx = cast("gatherNd", "index", index);
        Shape is = idx.shape;
        if (is.dimension() < 1 || is.get(0) > shape.dimension()) {
            throw new IllegalArgumentException("gatherNd: index " + is + " needs a first dimension <= the rank of "
                    + shape);
        }
        int depth = (int) is.get(0);
        Shape positions = is.slice(1);
        Shape tail = shape.slice(depth);
        long n = positions.size();
        long inner = tail.size();
        long[] st = Dt.strides(shape);
        long[] offsets = new long[Math.toIntExact(n)];
        for (long p = 0; p < n; p++) {
            long off = 0;
            for (int d = 0; d < depth; d++) {
                long i = idx.getL(d * n + p);
                if (i < 0) {
                    i += shape.get(d);
                }
                if (i < 0 || i >= shape.get(d)) {
                    throw new IndexOutOfBoundsException("gatherNd: index " + idx.getL(d * n + p) + " is out of "
                            + "bounds for axis " + d + " of shape " + shape);
                }
                off += i * st[d];
            }
            offsets[(int) p] = off;
        }
        InertiaNDArray out = alloc(positions.addAll(tail), dataType);
        int es = Dt.size(dataType);
        for (int p = 0; p < offsets.length; p++) {
            MemorySegment.copy(seg(), offsets[p] * es, out.seg(), p * inner * es, inner * es);
        }
        if (Grad.active(this)) {
            Grad.record(out, "gatherNd", new InertiaNDArray[] {this}, g -> {
                InertiaNDArray z = (InertiaNDArray) zerosLike();
                InertiaNDArray gi = (InertiaNDArray) g;
                for (int p = 0; p < offsets.length; p++) {
                    for (long k = 0; k < inner; k++) {
                        long at = offsets[p] + k;
                        Dt.putD(z.seg(), dataType, at, z.getD(at) + gi.getD(p * inner + k));
                    }
                }
                return new NDArray[] {z};
            });
        }
        return out;
    }

    @Override
    public NDArray take(NDManager m, NDArray index) {
        InertiaNDArray idx = cast("take", "index", index);
        InertiaNDArray out = new InertiaNDArray(checkManager(m), idx.shape, dataType);
        long n = idx.size();
        long total = size();
        int es = Dt.size(dataType);
        for (long k = 0; k < n; k++) {
            long i = idx.getL(k);
            if (i < 0) {
                i += total;
            }
            if (i < 0 || i >= total) {
                out.close();
                throw new IndexOutOfBoundsException("take: index " + idx.getL(k) + " is out of bounds for " + total
                        + " elements");
            }
            MemorySegment.copy(seg(), i * es, out.seg(), k * es, es);
        }
        return out;
    }

    @Override
    public NDArray put(NDArray index, NDArray value) {
        InertiaNDArray idx = cast("put", "index", index);
        InertiaNDArray v = cast("put", "value", value);
        if (idx.size() != v.size()) {
            throw new IllegalArgumentException("put: index " + idx.shape + " and value " + v.shape
                    + " must have the same number of elements");
        }
        InertiaNDArray out = duplicateRaw();
        long total = size();
        for (long k = 0; k < idx.size(); k++) {
            long i = idx.getL(k);
            if (i < 0) {
                i += total;
            }
            if (i < 0 || i >= total) {
                out.close();
                throw new IndexOutOfBoundsException("put: index " + idx.getL(k) + " is out of bounds for " + total
                        + " elements");
            }
            Dt.putD(out.seg(), dataType, i, v.getD(k));
        }
        return out;
    }

    @Override
    public NDArray scatter(NDArray index, NDArray value, int axis) {
        InertiaNDArray idx = cast("scatter", "index", index);
        InertiaNDArray v = cast("scatter", "value", value);
        int r = shape.dimension();
        int a = Dt.axis("scatter", axis, r);
        InertiaNDArray out = duplicateRaw();
        long[] st = Dt.strides(shape);
        long[] vst = Dt.strides(v.shape);
        long[] pos = new long[r];
        for (long k = 0; k < idx.size(); k++) {
            long off = 0;
            long voff = 0;
            for (int d = 0; d < r; d++) {
                long i = d == a ? idx.getL(k) : pos[d];
                if (i < 0 || i >= shape.get(d)) {
                    out.close();
                    throw new IndexOutOfBoundsException("scatter: index " + i + " is out of bounds for axis " + d
                            + " of shape " + shape);
                }
                off += i * st[d];
                voff += pos[d] * vst[d];
            }
            Dt.putD(out.seg(), dataType, off, v.getD(voff));
            for (int d = r - 1; d >= 0; d--) {
                if (++pos[d] < idx.shape.get(d)) {
                    break;
                }
                pos[d] = 0;
            }
        }
        return out;
    }

    @Override
    public NDArray booleanMask(NDArray index, int axis) {
        InertiaNDArray mask = cast("booleanMask", "index", index);
        int r = shape.dimension();
        int a = Dt.axis("booleanMask", axis, r);
        int mr = mask.shape.dimension();
        if (a + mr > r || !shape.slice(a, a + mr).equals(mask.shape)) {
            throw new IllegalArgumentException("booleanMask: mask " + mask.shape + " does not match shape " + shape
                    + " from axis " + a);
        }
        long outer = shape.slice(0, a).size();
        long m = mask.size();
        long inner = shape.slice(a + mr).size();
        long count = 0;
        for (long i = 0; i < m; i++) {
            if (mask.getD(i) != 0) {
                count++;
            }
        }
        Shape os = shape.slice(0, a).add(count).addAll(shape.slice(a + mr));
        InertiaNDArray out = alloc(os, dataType);
        int es = Dt.size(dataType);
        long w = 0;
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < m; i++) {
                if (mask.getD(i) != 0) {
                    MemorySegment.copy(seg(), ((o * m + i) * inner) * es, out.seg(), w * inner * es, inner * es);
                    w++;
                }
            }
        }
        return out;
    }

    @Override
    public NDArray sequenceMask(NDArray sequenceLength, float value) {
        InertiaNDArray len = cast("sequenceMask", "sequenceLength", sequenceLength);
        if (shape.dimension() < 2 || len.shape.dimension() != 1 || len.shape.get(0) != shape.get(0)) {
            throw new IllegalArgumentException("sequenceMask needs an array of rank >= 2 (batch, time, ...) and "
                    + "lengths (batch), got " + shape + " and " + len.shape);
        }
        InertiaNDArray out = duplicateRaw();
        long b = shape.get(0);
        long t = shape.get(1);
        long inner = shape.slice(2).size();
        for (long i = 0; i < b; i++) {
            long l = (long) len.getD(i);
            for (long j = Math.max(0, l); j < t; j++) {
                for (long k = 0; k < inner; k++) {
                    Dt.putD(out.seg(), dataType, (i * t + j) * inner + k, value);
                }
            }
        }
        return out;
    }

    @Override
    public NDArray sequenceMask(NDArray sequenceLength) {
        return sequenceMask(sequenceLength, 0);
    }

    // ------------------------------------------------------------------ misc math

    @Override
    public NDArray normalize(double exponent, long dim, double eps) {
        Dt.floating("normalize", dataType);
        int a = Dt.axis("normalize", (int) dim, shape.dimension());
        try (NDArray n = abs().pow(exponent).sum(new int[] {a}, true).pow(1 / exponent);
             NDArray c = n.maximum(eps)) {
            return div(c);
        }
    }

    @Override
    public NDArray rotate90(int times, int[] axes) {
        if (axes.length != 2) {
            throw new IllegalArgumentException("rotate90 needs two axes, got " + Arrays.toString(axes));
        }
        int r = shape.dimension();
        int a0 = Dt.axis("rotate90", axes[0], r);
        int a1 = Dt.axis("rotate90", axes[1], r);
        if (a0 == a1) {
            throw new IllegalArgumentException("rotate90: the axes must differ, got " + Arrays.toString(axes));
        }
        int k = Math.floorMod(times, 4);
        if (k == 0) {
            return duplicateRaw();
        }
        if (k == 2) {
            return flip(a0, a1);
        }
        try (NDArray f = flip(k == 1 ? a1 : a0)) {
            return f.swapAxes(a0, a1);
        }
    }

    @Override
    public NDArray trace(int offset, int axis1, int axis2) {
        try (NDArray d = diagonal(offset, axis1, axis2)) {
            return d.sum(new int[] {-1});
        }
    }

    @Override
    public NDArray diagonal() {
        return diagonal(0, 0, 1);
    }

    @Override
    public NDArray diagonal(int offset) {
        return diagonal(offset, 0, 1);
    }

    @Override
    public NDArray diagonal(int offset, int axis1, int axis2) {
        int r = shape.dimension();
        int a1 = Dt.axis("diagonal", axis1, r);
        int a2 = Dt.axis("diagonal", axis2, r);
        if (a1 == a2) {
            throw new IllegalArgumentException("diagonal: axis1 and axis2 must differ, got " + axis1);
        }
        long n1 = shape.get(a1);
        long n2 = shape.get(a2);
        long len = offset >= 0 ? Math.max(0, Math.min(n1, n2 - offset)) : Math.max(0, Math.min(n1 + offset, n2));
        List<Long> dims = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (i != a1 && i != a2) {
                dims.add(shape.get(i));
                rest.add(i);
            }
        }
        dims.add(len);
        long[] st = Dt.strides(shape);
        long[] ss = new long[dims.size()];
        for (int i = 0; i < rest.size(); i++) {
            ss[i] = st[rest.get(i)];
        }
        ss[rest.size()] = st[a1] + st[a2];
        long off = offset >= 0 ? offset * st[a2] : -offset * st[a1];
        InertiaNDArray out = alloc(new Shape(dims.stream().mapToLong(Long::longValue).toArray()), dataType);
        if (out.size() > 0) {
            copyStrided(seg(), ss, off, out, Dt.size(dataType));
        }
        return out;
    }

    @Override
    public NDArray inverse() {
        int r = shape.dimension();
        if (r < 2 || shape.get(r - 1) != shape.get(r - 2)) {
            throw new IllegalArgumentException("inverse needs square matrices (..., n, n), got " + shape);
        }
        DataType t = Dt.isFloat(dataType) ? dataType : DataType.FLOAT32;
        int n = (int) shape.get(r - 1);
        double[] v = doubles();
        int mats = n == 0 ? 0 : v.length / (n * n);
        double[] out = new double[v.length];
        for (int m = 0; m < mats; m++) {
            double[][] a = new double[n][2 * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] = v[m * n * n + i * n + j];
                }
                a[i][n + i] = 1;
            }
            for (int c = 0; c < n; c++) { // Gauss-Jordan with partial pivoting, in double
                int p = c;
                for (int i = c + 1; i < n; i++) {
                    if (Math.abs(a[i][c]) > Math.abs(a[p][c])) {
                        p = i;
                    }
                }
                if (a[p][c] == 0) {
                    throw new IllegalArgumentException("inverse: matrix " + m + " of " + shape + " is singular");
                }
                double[] tmp = a[p];
                a[p] = a[c];
                a[c] = tmp;
                double d = a[c][c];
                for (int j = 0; j < 2 * n; j++) {
                    a[c][j] /= d;
                }
                for (int i = 0; i < n; i++) {
                    if (i != c && a[i][c] != 0) {
                        double f = a[i][c];
                        for (int j = 0; j < 2 * n; j++) {
                            a[i][j] -= f * a[c][j];
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[m * n * n + i * n + j] = a[i][n + j];
                }
            }
        }
        return fromDoubles(out, shape, t);
    }

    @Override
    public NDArray norm(boolean keepDims) {
        Dt.floating("norm", dataType);
        try (NDArray sq = mul(this)) {
            NDArray s = sq.sum(null, keepDims);
            try (s) {
                return s.sqrt();
            }
        }
    }

    @Override
    public NDArray norm(int ord, int[] axes, boolean keepDims) {
        Dt.floating("norm", dataType);
        if (axes.length != 1) {
            throw InertiaEngine.unsupported("norm of order " + ord + " over " + axes.length + " axes (matrix norms)");
        }
        if (ord == 2) {
            try (NDArray sq = mul(this); NDArray s = sq.sum(axes, keepDims)) {
                return s.sqrt();
            }
        }
        if (ord == 1) {
            try (NDArray ab = abs()) {
                return ab.sum(axes, keepDims);
            }
        }
        throw InertiaEngine.unsupported("norm of order " + ord);
    }

    @Override
    public NDArray oneHot(int depth, float onValue, float offValue, DataType t) {
        Dt.check("oneHot", t);
        if (Dt.isFloat(dataType)) {
            throw new IllegalArgumentException("oneHot: indices must be integers, got " + dataType);
        }
        InertiaNDArray out = alloc(shape.add(depth), t);
        out.fill(offValue);
        long n = size();
        for (long k = 0; k < n; k++) {
            long i = getL(k);
            if (i >= 0 && i < depth) {
                Dt.putD(out.seg(), t, k * depth + i, onValue);
            }
        }
        return out;
    }

    @Override
    public NDArray diff(int n, int dim) {
        int a = Dt.axis("diff", dim, shape.dimension());
        if (n < 0) {
            throw new IllegalArgumentException("diff: n must be >= 0, got " + n);
        }
        NDArray cur = duplicateRaw();
        for (int i = 0; i < n; i++) {
            long len = cur.getShape().get(a);
            InertiaNDArray c = (InertiaNDArray) cur;
            try (InertiaNDArray hi = c.sliceAxis(a, Math.min(1, len), len);
                 InertiaNDArray lo = c.sliceAxis(a, 0, Math.max(0, len - 1))) {
                NDArray next = dataType == DataType.BOOLEAN ? hi.logicalXor(lo) : hi.sub(lo);
                cur.close();
                cur = next;
            }
        }
        return cur;
    }

    // ------------------------------------------------------------------ unsupported

    @Override
    public NDArray fft(long length, long axis) {
        throw InertiaEngine.unsupported("fft");
    }

    @Override
    public NDArray ifft(long length, long axis) {
        throw InertiaEngine.unsupported("ifft");
    }

    @Override
    public NDArray rfft(long length, long axis) {
        throw InertiaEngine.unsupported("rfft");
    }

    @Override
    public NDArray irfft(long length, long axis) {
        throw InertiaEngine.unsupported("irfft");
    }

    @Override
    public NDArray stft(long nFft, long hopLength, boolean center, NDArray window, boolean normalize,
            boolean returnComplex) {
        throw InertiaEngine.unsupported("stft");
    }

    @Override
    public NDArray fft2(long[] sizes, long[] axes) {
        throw InertiaEngine.unsupported("fft2");
    }

    @Override
    public NDArray ifft2(long[] sizes, long[] axes) {
        throw InertiaEngine.unsupported("ifft2");
    }

    @Override
    public NDList unique(Integer dim, boolean sorted, boolean returnInverse, boolean returnCounts) {
        InertiaNDArray src = dim == null ? (InertiaNDArray) reshape(size()) : this;
        int a = dim == null ? 0 : Dt.axis("unique", dim, shape.dimension());
        Shape s = src.shape;
        long len = s.dimension() == 0 ? 1 : s.get(a);
        NDList slices = src.split(len == 0 ? new long[0] : java.util.stream.LongStream.range(1, len).toArray(), a);
        List<double[]> keys = new ArrayList<>();
        for (NDArray x : slices) {
            keys.add(((InertiaNDArray) x).doubles());
        }
        Comparator<double[]> lex = (x, y) -> Arrays.compare(x, y);
        List<Integer> order = new ArrayList<>();
        java.util.Map<List<Double>, Integer> first = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            first.putIfAbsent(Arrays.stream(keys.get(i)).boxed().toList(), i);
        }
        order.addAll(first.values());
        if (sorted) {
            order.sort((x, y) -> lex.compare(keys.get(x), keys.get(y)));
        }
        long[] inverse = new long[keys.size()];
        long[] counts = new long[order.size()];
        for (int i = 0; i < keys.size(); i++) {
            for (int u = 0; u < order.size(); u++) {
                if (Arrays.equals(keys.get(i), keys.get(order.get(u)))) {
                    inverse[i] = u;
                    counts[u]++;
                    break;
                }
            }
        }
        NDList picked = new NDList();
        for (int u : order) {
            picked.add(slices.get(u));
        }
        NDArray values = picked.isEmpty() ? alloc(s.slice(0, a).add(0).addAll(s.slice(a + 1)), dataType)
                : picked.get(0).getNDArrayInternal().concat(picked.subNDList(1), a);
        NDArray inv = returnInverse ? fromLongs(inverse, new Shape(inverse.length), DataType.INT64)
                : alloc(new Shape(0), DataType.INT64);
        NDArray cnt = returnCounts ? fromLongs(counts, new Shape(counts.length), DataType.INT64)
                : alloc(new Shape(0), DataType.INT64);
        slices.close();
        if (src != this) {
            src.close();
        }
        return new NDList(values, inv, cnt);
    }

    @Override
    public NDArray percentile(Number percentile) {
        return percentile(percentile, null);
    }

    /** The q-th percentile with linear interpolation between closest ranks (NumPy's default). */
    @Override
    public NDArray percentile(Number percentile, int[] axes) {
        double q = percentile.doubleValue();
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        DataType t = Dt.isFloat(dataType) ? dataType : DataType.FLOAT32;
        return reduce("percentile", axes, false, t, (v, n) -> {
            if (n == 0) {
                return Double.NaN;
            }
            double[] sorted = Arrays.copyOf(v, n);
            Arrays.sort(sorted);
            double pos = q / 100 * (n - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, n - 1);
            return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        });
    }

    @Override
    public NDArray median() {
        return percentile(50);
    }

    @Override
    public NDArray median(int[] axes) {
        return percentile(50, axes);
    }

    @Override
    public NDArray toDense() {
        return this;
    }

    @Override
    public NDArray toSparse(SparseFormat fmt) {
        if (fmt == SparseFormat.DENSE) {
            return this;
        }
        throw InertiaEngine.unsupported("toSparse(" + fmt + ")");
    }

    @Override
    public NDArray complex() {
        throw InertiaEngine.unsupported("complex");
    }

    @Override
    public NDArray real() {
        throw InertiaEngine.unsupported("real");
    }

    @Override
    public NDArray conj() {
        throw InertiaEngine.unsupported("conj");
    }
}
