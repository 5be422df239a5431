package org.inertia.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DJL's NDArray contract on the Inertia engine, written from DJL's Javadoc. */
class InertiaNDArrayTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("Inertia").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void engineIsRegisteredUnderItsName() {
        Engine e = Engine.getEngine("Inertia");
        assertEquals("Inertia", e.getEngineName());
        assertTrue(manager instanceof InertiaNDManager);
        assertSame(e, manager.getEngine());
    }

    @Test
    void createsEveryStoredTypeAndReadsItBack() {
        assertArrayEquals(new float[] {1, 2, 3}, manager.create(new float[] {1, 2, 3}).toFloatArray());
        assertArrayEquals(new double[] {1.5, -2}, manager.create(new double[] {1.5, -2}).toDoubleArray());
        assertArrayEquals(new int[] {7, -8}, manager.create(new int[] {7, -8}).toIntArray());
        assertArrayEquals(new long[] {1L << 40, -3}, manager.create(new long[] {1L << 40, -3}).toLongArray());
        assertArrayEquals(new byte[] {-1, 5}, manager.create(new byte[] {-1, 5}).toByteArray());
        NDArray u8 = manager.create(ByteBuffer.wrap(new byte[] {(byte) 200, 1}), new Shape(2), DataType.UINT8);
        assertArrayEquals(new int[] {200, 1}, u8.toUint8Array());
        NDArray b = manager.create(new boolean[] {true, false, true});
        assertEquals(DataType.BOOLEAN, b.getDataType());
        assertArrayEquals(new boolean[] {true, false, true}, b.toBooleanArray());
        assertThrows(UnsupportedOperationException.class, () -> manager.zeros(new Shape(2), DataType.FLOAT16));
    }

    @Test
    void creationOps() {
        assertArrayEquals(new float[] {0, 2, 4}, manager.arange(0f, 5f, 2f).toFloatArray());
        assertArrayEquals(new int[] {0, 1, 2}, manager.arange(3).toIntArray());
        assertArrayEquals(new float[] {0, 0.5f, 1}, manager.linspace(0, 1, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1}, manager.eye(2).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, manager.eye(2, 3, 1, DataType.FLOAT32).toFloatArray());
        assertArrayEquals(new float[] {3, 3}, manager.full(new Shape(2), 3f).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, manager.ones(new Shape(2)).toFloatArray());
        NDArray u = manager.randomUniform(2, 3, new Shape(1000));
        assertTrue(u.gte(2).all().getBoolean() && u.lt(3).all().getBoolean());
        NDArray n = manager.randomNormal(new Shape(20000));
        assertEquals(0, n.mean().getFloat(), 0.05);
        assertEquals(1, n.pow(2).mean().getFloat(), 0.05);
    }

    @Test
    void broadcastingArithmeticAndPromotion() {
        NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray row = manager.create(new float[] {10, 20, 30});
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(row).toFloatArray());
        NDArray col = manager.create(new float[] {1, 2}, new Shape(2, 1));
        assertArrayEquals(new float[] {0, 1, 2, 2, 3, 4}, a.sub(col).toFloatArray());
        NDArray i = manager.create(new int[] {1, 2, 3});
        NDArray d = manager.create(new double[] {0.5, 0.5, 0.5});
        NDArray sum = i.add(d);
        assertEquals(DataType.FLOAT64, sum.getDataType());
        assertArrayEquals(new double[] {1.5, 2.5, 3.5}, sum.toDoubleArray());
        NDArray il = i.add(manager.create(new long[] {1, 1, 1}));
        assertEquals(DataType.INT64, il.getDataType());
        assertEquals(DataType.FLOAT32, i.div(2).getDataType(), "integer true division gives float32");
        assertArrayEquals(new float[] {0.5f, 1, 1.5f}, i.div(2).toFloatArray());
        assertArrayEquals(new int[] {1, 0, 1}, i.mod(2).toIntArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.add(manager.create(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(2)"), e.getMessage());
    }

    @Test
    void inPlaceVariantsWriteIntoTheArray() {
        NDArray a = manager.create(new float[] {1, 2, 3});
        NDArray r = a.addi(1);
        assertSame(a, r);
        assertArrayEquals(new float[] {2, 3, 4}, a.toFloatArray());
        a.muli(manager.create(new float[] {2, 2, 2})).subi(1).divi(manager.create(2f));
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, a.toFloatArray());
        NDArray small = manager.create(new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> small.addi(a), "in-place cannot grow the array");
        NDArray neg = manager.create(new float[] {1, -2});
        neg.negi();
        assertArrayEquals(new float[] {-1, 2}, neg.toFloatArray());
    }

    @Test
    void comparisonsAndLogic() {
        NDArray a = manager.create(new float[] {1, 2, 3});
        NDArray b = manager.create(new float[] {3, 2, 1});
        assertArrayEquals(new boolean[] {false, true, false}, a.eq(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true}, a.gt(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false}, a.lte(2).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true}, a.neq(b).logicalAnd(a.gt(0)).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false}, a.neq(b).logicalNot().toBooleanArray());
        assertTrue(a.contentEquals(manager.create(new float[] {1, 2, 3})));
        assertFalse(a.contentEquals(manager.create(new double[] {1, 2, 3})), "types differ");
    }

    @Test
    void reductions() {
        NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        assertEquals(21f, a.sum().getFloat());
        assertArrayEquals(new float[] {5, 7, 9}, a.sum(new int[] {0}).toFloatArray());
        assertEquals(new Shape(2, 1), a.sum(new int[] {1}, true).getShape());
        assertArrayEquals(new float[] {2, 5}, a.mean(new int[] {1}).toFloatArray());
        assertArrayEquals(new float[] {3, 6}, a.max(new int[] {1}).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3}, a.min(new int[] {0}).toFloatArray());
        assertArrayEquals(new long[] {2, 2}, a.argMax(1).toLongArray());
        assertEquals(720f, a.prod().getFloat());
        assertArrayEquals(new float[] {1, 3, 6, 4, 9, 15}, a.cumSum(1).toFloatArray());
        NDArray ints = manager.create(new int[] {1, 2, 3});
        assertEquals(DataType.INT64, ints.sum().getDataType());
        assertEquals(6L, ints.sum().getLong());
        float[] sm = a.softmax(1).toFloatArray();
        assertEquals(1.0, sm[0] + sm[1] + sm[2], 1e-6);
        assertEquals(Math.log(sm[0]), a.logSoftmax(1).getFloat(0, 0), 1e-6);
    }

    @Test
    void shapes() {
        NDArray a = manager.arange(6f).reshape(2, 3);
        assertEquals(new Shape(3, 2), a.reshape(-1, 2).getShape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, a.transpose().toFloatArray());
        assertEquals(new Shape(2, 1, 3), a.expandDims(1).getShape());
        assertEquals(new Shape(2, 3), a.expandDims(0).squeeze().getShape());
        NDArray s = NDArrays.stack(new NDList(a, a), 1);
        assertEquals(new Shape(2, 2, 3), s.getShape());
        NDArray c = NDArrays.concat(new NDList(a, a), 1);
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, c.toFloatArray());
        NDList parts = a.split(3, 1);
        assertEquals(3, parts.size());
        assertArrayEquals(new float[] {1, 4}, parts.get(1).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2));
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, a.flip(1).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, manager.arange(3f).tile(2).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 1, 1}, manager.arange(2f).repeat(2).toFloatArray());
    }

    @Test
    void matrixProductsRunOnGemm() {
        NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray b = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(3, 2));
        assertArrayEquals(new float[] {4, 5, 10, 11}, a.matMul(b).toFloatArray());
        assertArrayEquals(new float[] {14, 32}, a.matMul(manager.create(new float[] {1, 2, 3})).toFloatArray());
        NDArray batch = NDArrays.stack(new NDList(a, a.mul(2)));
        NDArray prod = batch.matMul(b);
        assertEquals(new Shape(2, 2, 2), prod.getShape());
        assertArrayEquals(new float[] {4, 5, 10, 11, 8, 10, 20, 22}, prod.toFloatArray());
        assertEquals(14f, manager.create(new float[] {1, 2, 3}).dot(manager.create(new float[] {1, 2, 3})).getFloat());
        assertThrows(IllegalArgumentException.class, () -> a.matMul(a));
    }

    @Test
    void indexingGetAndSet() {
        NDArray a = manager.arange(12f).reshape(3, 4);
        assertArrayEquals(new float[] {4, 5, 6, 7}, a.get(1).toFloatArray());
        assertArrayEquals(new float[] {1, 5, 9}, a.get(":, 1").toFloatArray());
        assertArrayEquals(new float[] {5, 6, 9, 10}, a.get("1:, 1:3").toFloatArray());
        assertArrayEquals(new float[] {0, 2, 8, 10}, a.get("::2, ::2").toFloatArray());
        assertEquals(11f, a.getFloat(2, 3));
        NDArray picked = a.get(new NDIndex().addAllDim().addPickDim(manager.create(new long[] {0, 3, 1})));
        assertArrayEquals(new float[] {0, 7, 9}, picked.flatten().toFloatArray());
        a.set(new NDIndex("0"), 100f);
        assertArrayEquals(new float[] {100, 100, 100, 100}, a.get(0).toFloatArray());
        a.set(new NDIndex(":, 0"), manager.create(new float[] {-1, -2, -3}));
        assertArrayEquals(new float[] {-1, -2, -3}, a.get(":, 0").toFloatArray());
        NDArray mask = a.gt(8);
        assertArrayEquals(new float[] {100, 100, 100, 9, 10, 11}, a.get(mask).toFloatArray());
    }

    @Test
    void gatherNdPicksLeadingCoordinates() {
        NDArray data = manager.arange(1f, 9f).reshape(2, 2, 2);
        NDArray idx = manager.create(new long[] {0, 1, 1, 0}, new Shape(2, 2)); // (0, 1) and (1, 0)
        NDArray got = data.gatherNd(idx);
        assertEquals(new Shape(2, 2), got.getShape());
        assertArrayEquals(new float[] {3, 4, 5, 6}, got.toFloatArray());
        assertThrows(IndexOutOfBoundsException.class,
                () -> data.gatherNd(manager.create(new long[] {2, 0}, new Shape(2, 1))));
    }

    @Test
    void closedManagerFreesItsArraysAndRefusesUse() {
        NDManager sub = manager.newSubManager();
        NDArray a = sub.create(new float[] {1, 2});
        sub.close();
        assertTrue(a.isReleased());
        assertThrows(IllegalStateException.class, a::toFloatArray);
        assertThrows(IllegalStateException.class, () -> sub.create(new float[] {1}));
    }

    @Test
    void attachDetachAndTempAttach() {
        NDManager other = manager.newSubManager();
        NDArray a = manager.create(new float[] {1});
        a.attach(other);
        assertSame(other, a.getManager());
        other.close();
        assertTrue(a.isReleased(), "closing the manager an array was attached to frees it");

        NDManager scope = manager.newSubManager();
        NDArray b = manager.create(new float[] {2});
        b.tempAttach(scope);
        scope.close();
        assertFalse(b.isReleased(), "tempAttach returns the array to its original manager");
        assertSame(manager, b.getManager());

        NDArray c = manager.create(new float[] {3});
        c.detach();
        manager.close();
        assertFalse(c.isReleased(), "a detached array outlives the manager");
        c.close();
        assertTrue(c.isReleased());
        manager = Engine.getEngine("Inertia").newBaseManager();
    }

    @Test
    void byteBufferRoundTripAndDuplicate() {
        NDArray a = manager.create(new float[] {1, 2, 3});
        ByteBuffer bb = a.toByteBuffer();
        assertEquals(ByteOrder.nativeOrder(), bb.order());
        assertEquals(2f, bb.getFloat(4));
        NDArray d = a.duplicate();
        d.addi(1);
        assertArrayEquals(new float[] {1, 2, 3}, a.toFloatArray(), "duplicate copies");
        NDArray t = a.toType(DataType.INT32, false);
        assertArrayEquals(new int[] {1, 2, 3}, t.toIntArray());
    }

    @Test
    void unsupportedOperationsNameTheOperationAndTheEngine() {
        NDArray a = manager.create(new float[] {1, 2});
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> a.fft(2));
        assertTrue(e.getMessage().contains("fft") && e.getMessage().contains("Inertia"), e.getMessage());
    }
}
