package org.inertia.djl;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import org.inertia.kernels.Dtype;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** Data types, element access and shape arithmetic shared by the engine's arrays (package-private). */
final class Dt {
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;

    private Dt() {
    }

    /** Throws unless the engine stores {@code t}. */
    static DataType check(String op, DataType t) {
        switch (t) {
            case FLOAT32, FLOAT64, INT32, INT64, INT8, UINT8, BOOLEAN -> {
                return t;
            }
            default -> throw new UnsupportedOperationException(op + ": data type " + t + " is not supported by the "
                    + InertiaEngine.ENGINE_NAME + " engine (it stores float32, float64, int32, int64, int8, uint8 and "
                    + "boolean)");
        }
    }

    static int size(DataType t) {
        return switch (t) {
            case FLOAT64, INT64 -> 8;
            case FLOAT32, INT32 -> 4;
            case INT8, UINT8, BOOLEAN -> 1;
            default -> throw new UnsupportedOperationException("data type " + t + " is not supported by the "
                    + InertiaEngine.ENGINE_NAME + " engine");
        };
    }

    /** The kernels' dtype for {@code t}, or null where the kernels have none. */
    static Dtype kernel(DataType t) {
        return switch (t) {
            case FLOAT32 -> Dtype.F32;
            case FLOAT64 -> Dtype.F64;
            case INT32 -> Dtype.I32;
            default -> null;
        };
    }

    /** Throws unless {@code t} is float32 or float64. */
    static DataType floating(String op, DataType t) {
        if (!isFloat(t)) {
            throw new IllegalArgumentException(op + " needs float32 or float64, got " + t);
        }
        return t;
    }

    static boolean isFloat(DataType t) {
        return t == DataType.FLOAT32 || t == DataType.FLOAT64;
    }

    private static int intRank(DataType t) {
        return switch (t) {
            case BOOLEAN -> 0;
            case UINT8 -> 1;
            case INT8 -> 2;
            case INT32 -> 3;
            case INT64 -> 4;
            default -> throw new IllegalStateException(t.toString());
        };
    }

    /** PyTorch's promotion between two stored types (uint8 with int8 widens to int32). */
    static DataType promote(DataType a, DataType b) {
        if (a == b) {
            return a;
        }
        if (isFloat(a) || isFloat(b)) {
            if (a == DataType.FLOAT64 || b == DataType.FLOAT64) {
                return DataType.FLOAT64;
            }
            return DataType.FLOAT32;
        }
        if ((a == DataType.UINT8 && b == DataType.INT8) || (a == DataType.INT8 && b == DataType.UINT8)) {
            return DataType.INT32;
        }
        return intRank(a) >= intRank(b) ? a : b;
    }

    /** The result type of an array of type {@code t} combined with a Java number (PyTorch's scalar rule). */
    static DataType withScalar(DataType t, Number n) {
        boolean floatScalar = n instanceof Float || n instanceof Double;
        if (floatScalar && !isFloat(t)) {
            return DataType.FLOAT32;
        }
        if (t == DataType.BOOLEAN && !floatScalar && !(n instanceof Byte && (n.byteValue() == 0 || n.byteValue() == 1))) {
            return DataType.INT64;
        }
        return t;
    }

    static double getD(MemorySegment s, DataType t, long i) {
        return switch (t) {
            case FLOAT32 -> s.getAtIndex(F, i);
            case FLOAT64 -> s.getAtIndex(D, i);
            case INT32 -> s.getAtIndex(I, i);
            case INT64 -> s.getAtIndex(L, i);
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, i);
            case UINT8, BOOLEAN -> s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            default -> throw new IllegalStateException(t.toString());
        };
    }

    static long getL(MemorySegment s, DataType t, long i) {
        return switch (t) {
            case FLOAT32 -> (long) s.getAtIndex(F, i);
            case FLOAT64 -> (long) s.getAtIndex(D, i);
            case INT32 -> s.getAtIndex(I, i);
            case INT64 -> s.getAtIndex(L, i);
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, i);
            case UINT8, BOOLEAN -> s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            default -> throw new IllegalStateException(t.toString());
        };
    }

    static void putD(MemorySegment s, DataType t, long i, double v) {
        switch (t) {
            case FLOAT32 -> s.setAtIndex(F, i, (float) v);
            case FLOAT64 -> s.setAtIndex(D, i, v);
            case INT32 -> s.setAtIndex(I, i, (int) (long) v);
            case INT64 -> s.setAtIndex(L, i, (long) v);
            case INT8, UINT8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (long) v);
            case BOOLEAN -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            default -> throw new IllegalStateException(t.toString());
        }
    }

    static void putL(MemorySegment s, DataType t, long i, long v) {
        switch (t) {
            case FLOAT32 -> s.setAtIndex(F, i, (float) v);
            case FLOAT64 -> s.setAtIndex(D, i, (double) v);
            case INT32 -> s.setAtIndex(I, i, (int) v);
            case INT64 -> s.setAtIndex(L, i, v);
            case INT8, UINT8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) v);
            case BOOLEAN -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            default -> throw new IllegalStateException(t.toString());
        }
    }

    /** Row-major strides of {@code shape} in elements. */
    static long[] strides(Shape shape) {
        int r = shape.dimension();
        long[] s = new long[r];
        long acc = 1;
        for (int i = r - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape.get(i);
        }
        return s;
    }

    /** NumPy broadcast of two shapes, or an IllegalArgumentException naming both. */
    static Shape broadcast(String op, Shape a, Shape b) {
        int r = Math.max(a.dimension(), b.dimension());
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            int ia = a.dimension() - r + i;
            int ib = b.dimension() - r + i;
            long da = ia >= 0 ? a.get(ia) : 1;
            long db = ib >= 0 ? b.get(ib) : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " cannot be broadcast together "
                        + "(dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** Strides of an array of shape {@code in} read as the broadcast shape {@code out} (0 on broadcast axes). */
    static long[] broadcastStrides(Shape in, Shape out) {
        int r = out.dimension();
        long[] s = new long[r];
        long[] own = strides(in);
        int off = r - in.dimension();
        for (int i = 0; i < in.dimension(); i++) {
            s[i + off] = in.get(i) == 1 && out.get(i + off) != 1 ? 0 : own[i];
        }
        return s;
    }

    /** Normalizes a possibly negative axis against a rank, naming the operation on failure. */
    static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1) || (rank == 0 && axis != 0 && axis != -1)) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** Kernel dims of a DJL shape (each must fit an int). */
    static int[] dims(Shape s) {
        int[] d = new int[s.dimension()];
        for (int i = 0; i < d.length; i++) {
            long v = s.get(i);
            if (v > Integer.MAX_VALUE) {
                throw new UnsupportedOperationException("dimension " + i + " of " + s + " exceeds the "
                        + InertiaEngine.ENGINE_NAME + " engine's int range");
            }
            d[i] = (int) v;
        }
        return d;
    }

    static Shape shape(int[] dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = dims[i];
        }
        return shape(l);
    }

    /**
     * {@code new Shape(dims)} (every layout UNKNOWN) without the two streams DJL's varargs constructor runs; takes
     * {@code dims} over (the caller must not change it afterwards).
     */
    static Shape shape(long[] dims) {
        LayoutType[] layout = new LayoutType[dims.length];
        Arrays.fill(layout, LayoutType.UNKNOWN);
        return new Shape(dims, layout);
    }

    static String str(int[] a) {
        return Arrays.toString(a);
    }
}
