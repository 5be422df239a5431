package org.inertia.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDArrayIndexer;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.index.dim.NDIndexAll;
import ai.djl.ndarray.index.dim.NDIndexBooleans;
import ai.djl.ndarray.index.dim.NDIndexSlice;
import ai.djl.ndarray.index.dim.NDIndexElement;
import ai.djl.ndarray.index.dim.NDIndexFixed;
import ai.djl.ndarray.index.dim.NDIndexTake;
import ai.djl.ndarray.index.full.NDIndexFullPick;
import ai.djl.ndarray.index.full.NDIndexFullSlice;
import ai.djl.ndarray.index.full.NDIndexFullTake;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.List;

/** DJL's {@link NDArrayIndexer} for the Inertia engine: slices, picks and takes as DJL defines them. */
final class InertiaIndexer extends NDArrayIndexer {
    private final InertiaNDManager manager;

    InertiaIndexer(InertiaNDManager manager) {
        this.manager = manager;
    }

    @Override
    public NDArray get(NDArray array, NDIndexFullPick fullPick) {
        InertiaNDArray a = InertiaNDArray.cast("get (pick)", "array", array);
        InertiaNDArray idx = InertiaNDArray.cast("get (pick)", "index", fullPick.getIndices());
        Shape is = idx.getShape();
        Shape as = a.getShape();
        int r = as.dimension();
        NDArray index = idx;
        boolean reshaped = false;
        if (is.dimension() != r) {
            long[] ns = null;
            long[] ad = as.getShape();
            long[] id = is.getShape();
            for (int i = 0; i + id.length <= r; i++) {
                if (Arrays.equals(id, 0, id.length, ad, i, i + id.length)) {
                    ns = new long[r];
                    Arrays.fill(ns, 1);
                    System.arraycopy(is.getShape(), 0, ns, i, is.dimension());
                    break;
                }
            }
            if (ns == null) {
                throw new IllegalArgumentException("pick: index of shape " + is + " cannot be expanded to " + as);
            }
            index = idx.reshape(Dt.shape(ns));
            reshaped = true;
        }
        try {
            Shape ishape = index.getShape();
            long[] target = as.getShape().clone();
            target[fullPick.getAxis()] = ishape.get(fullPick.getAxis());
            NDArray full = index;
            boolean bcast = !Arrays.equals(ishape.getShape(), target);
            if (bcast) {
                full = index.broadcast(Dt.shape(target));
            }
            try {
                NDArray out = a.gather(full, fullPick.getAxis());
                out.attach(manager);
                return out;
            } finally {
                if (bcast && !Grad.recording()) {
                    full.close();
                }
            }
        } finally {
            if (reshaped && !Grad.recording()) {
                index.close(); // while recording, gather's backward reads it: it stays with its manager
            }
        }
    }

    @Override
    public NDArray get(NDArray array, NDIndexFullTake fullTake) {
        InertiaNDArray a = InertiaNDArray.cast("get (take)", "array", array);
        InertiaNDArray idx = InertiaNDArray.cast("get (take)", "index", fullTake.getIndices());
        int axis = fullTake.getAxis();
        Shape as = a.getShape();
        long len = as.get(axis);
        long n = idx.size();
        long outer = as.slice(0, axis).size();
        long inner = as.slice(axis + 1).size();
        Shape os = as.slice(0, axis).add(n).addAll(as.slice(axis + 1));
        InertiaNDArray out = manager.zeros(os, a.getDataType());
        int es = Dt.size(a.getDataType());
        for (long k = 0; k < n; k++) {
            long i = idx.getL(k);
            if (i < 0) {
                i += len;
            }
            if (i < 0 || i >= len) {
                out.close();
                throw new IndexOutOfBoundsException("take: index " + idx.getL(k) + " is out of bounds for axis " + axis
                        + " of shape " + as);
            }
            for (long o = 0; o < outer; o++) {
                java.lang.foreign.MemorySegment.copy(a.seg(), ((o * len + i) * inner) * es, out.seg(),
                        ((o * n + k) * inner) * es, inner * es);
            }
        }
        return out;
    }

    @Override
    public NDArray get(NDArray array, NDIndexFullSlice fullSlice) {
        InertiaNDArray a = InertiaNDArray.cast("get", "array", array);
        try (InertiaNDArray s = a.slice(fullSlice.getMin(), fullSlice.getMax(), fullSlice.getStep())) {
            NDArray out = s.squeeze(fullSlice.getToSqueeze());
            out.attach(manager);
            return out;
        }
    }

    @Override
    public void set(NDArray array, NDIndexFullSlice fullSlice, NDArray value) {
        InertiaNDArray a = InertiaNDArray.cast("set", "array", array);
        InertiaNDArray v = InertiaNDArray.cast("set", "value", value);
        Grad.checkInPlace("set", a);
        Shape target = fullSlice.getShape();
        Shape vs = v.getShape();
        NDArray prepared;
        if (vs.equals(target)) {
            prepared = v.duplicate();
        } else {
            Shape t = target;
            while (t.size() > v.size() && t.dimension() > 0) {
                t = t.slice(1);
            }
            try (NDArray re = t.size() == v.size() ? v.reshape(t) : v.duplicate()) {
                prepared = re.broadcast(target);
            }
        }
        try (NDArray p = prepared) {
            a.scatterBox(fullSlice.getMin(), fullSlice.getStep(), (InertiaNDArray) p);
        }
    }

    /**
     * DJL's set, extended to integer index arrays ({@code NDIndexTake}, rank 1) with a Number value: each listed
     * index is set in turn as a fixed index.
     */
    @Override
    public void set(NDArray array, NDIndex index, Object value) {
        List<NDIndexElement> els = index.getIndices();
        int take = -1;
        for (int i = 0; i < els.size(); i++) {
            if (els.get(i) instanceof NDIndexTake) {
                take = i;
                break;
            }
        }
        if (take < 0 || !(value instanceof Number)) {
            super.set(array, index, value);
            return;
        }
        NDArray idx = ((NDIndexTake) els.get(take)).getIndex();
        if (idx.getShape().dimension() != 1 || Dt.isFloat(idx.getDataType())) {
            throw InertiaEngine.unsupported("set with an index array of shape " + idx.getShape() + " and type "
                    + idx.getDataType() + " (integer vectors only)");
        }
        for (long v : idx.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < els.size(); i++) {
                if (i == index.getEllipsisIndex()) {
                    sb.append("...,");
                }
                NDIndexElement e = els.get(i);
                if (i == take) {
                    sb.append(v);
                } else if (e instanceof NDIndexFixed f) {
                    sb.append(f.getIndex());
                } else if (e instanceof NDIndexAll) {
                    sb.append(':');
                } else if (e instanceof NDIndexSlice sl) {
                    sb.append(sl.getMin() == null ? "" : sl.getMin()).append(':')
                            .append(sl.getMax() == null ? "" : sl.getMax());
                    if (sl.getStep() != null) {
                        sb.append(':').append(sl.getStep());
                    }
                } else {
                    throw InertiaEngine.unsupported("set with an index array combined with " + e.getClass()
                            .getSimpleName());
                }
                sb.append(',');
            }
            if (els.size() == index.getEllipsisIndex()) {
                sb.append("...,");
            }
            sb.setLength(sb.length() - 1);
            set(array, new NDIndex(sb.toString()), value);
        }
    }

    @Override
    public void set(NDArray array, NDIndexBooleans indices, NDArray value) {
        InertiaNDArray a = InertiaNDArray.cast("set", "array", array);
        InertiaNDArray mask = InertiaNDArray.cast("set", "index", indices.getIndex());
        Shape ms = mask.getShape();
        Shape as = a.getShape();
        if (ms.dimension() > as.dimension() || !as.slice(0, ms.dimension()).equals(ms)) {
            throw new IllegalArgumentException("set: boolean index " + ms + " does not match the leading dimensions of "
                    + as);
        }
        long[] d = new long[as.dimension()];
        Arrays.fill(d, 1);
        System.arraycopy(ms.getShape(), 0, d, 0, ms.dimension());
        try (NDArray m = mask.reshape(new Shape(d))) {
            a.intern(value.getNDArrayInternal().where(m, a));
        }
    }

    @Override
    public void set(NDArray array, NDIndexFullSlice fullSlice, Number value) {
        InertiaNDArray a = InertiaNDArray.cast("set", "array", array);
        try (InertiaNDArray s = manager.full(fullSlice.getShape(), 0, a.getDataType())) {
            if (Dt.isFloat(a.getDataType()) || value instanceof Float || value instanceof Double) {
                s.fill(value.doubleValue());
            } else {
                for (long i = 0; i < s.size(); i++) {
                    Dt.putL(s.seg(), a.getDataType(), i, value.longValue());
                }
            }
            Grad.checkInPlace("set", a);
            a.scatterBox(fullSlice.getMin(), fullSlice.getStep(), s);
        }
    }

}
