package org.inertia.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DJL's resource bookkeeping (attach, detach, tempAttach, cap, close, the String-keyed internal calls) on the
 * Inertia manager, which keeps arrays nobody has asked the uid of in a list of its own instead of DJL's map.
 */
class InertiaNDManagerTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("Inertia").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static Set<NDArray> identitySet(List<NDArray> arrays) {
        Set<NDArray> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(arrays);
        return s;
    }

    @Test
    void uidIsStableUniqueAndInDjlsFormat() {
        NDArray a = manager.create(new float[] {1});
        NDArray b = manager.create(new float[] {1});
        String u = a.getUid();
        assertSame(u, a.getUid());
        assertNotEquals(u, b.getUid());
        assertTrue(u.matches("uid-\\d+-\\d+"), u);
    }

    @Test
    void managedArraysListNamedAndUnnamedArraysOnce() {
        NDManager sub = manager.newSubManager();
        NDArray a = sub.create(new float[] {1});
        NDArray b = sub.create(new float[] {2});
        NDArray c = sub.create(new float[] {3});
        b.getUid(); // b moves into DJL's map
        Set<NDArray> got = identitySet(sub.getManagedArrays());
        assertEquals(3, sub.getManagedArrays().size());
        assertTrue(got.contains(a) && got.contains(b) && got.contains(c));
        assertTrue(sub.toString().endsWith("Resource size: 3"), sub.toString());
        a.detach();
        b.detach();
        assertEquals(List.of(c), new ArrayList<>(sub.getManagedArrays()));
        sub.close();
        assertFalse(a.isReleased());
        assertFalse(b.isReleased());
        assertTrue(c.isReleased());
        a.close();
        b.close();
    }

    @Test
    void closingAManagerClosesNamedUnnamedAndSubManagerArrays() {
        NDManager sub = manager.newSubManager();
        NDManager inner = sub.newSubManager();
        NDArray a = sub.create(new float[] {1});
        NDArray b = sub.create(new float[] {2});
        NDArray c = inner.create(new float[] {3});
        b.getUid();
        sub.close();
        assertTrue(a.isReleased());
        assertTrue(b.isReleased());
        assertTrue(c.isReleased());
        assertFalse(inner.isOpen());
        assertEquals(0, sub.getManagedArrays().size());
    }

    @Test
    void stringKeyedDetachFindsAnArrayByItsUid() {
        NDManager sub = manager.newSubManager();
        NDArray a = sub.create(new float[] {1});
        sub.detachInternal(a.getUid()); // what DJL's own NDArrayAdapter does
        sub.close();
        assertFalse(a.isReleased(), "an array detached through its uid outlives the manager");
        a.close();
    }

    @Test
    void stringKeyedAttachOwnsTheArray() {
        NDManager sub = manager.newSubManager();
        NDArray a = manager.create(new float[] {1});
        sub.attachInternal(a.getUid(), a);
        sub.close();
        assertTrue(a.isReleased());
    }

    @Test
    void attachMovesAnArrayBetweenManagers() {
        NDManager one = manager.newSubManager();
        NDManager two = manager.newSubManager();
        NDArray a = one.create(new float[] {1});
        NDArray b = one.create(new float[] {2});
        b.getUid();
        a.attach(two);
        b.attach(two);
        assertSame(two, a.getManager());
        one.close();
        assertFalse(a.isReleased());
        assertFalse(b.isReleased());
        assertEquals(2, two.getManagedArrays().size());
        two.close();
        assertTrue(a.isReleased());
        assertTrue(b.isReleased());
    }

    @Test
    void cappedManagerRefusesAttachButTakesReturnedResources() {
        NDManager capped = manager.newSubManager();
        NDManager scope = manager.newSubManager();
        NDArray a = capped.create(new float[] {1});
        capped.cap();
        assertThrows(IllegalStateException.class, () -> capped.create(new float[] {2}));
        NDArray b = manager.create(new float[] {3});
        assertThrows(IllegalStateException.class, () -> b.attach(capped));
        a.tempAttach(scope); // comes back through attachUncappedInternal, which ignores the cap
        scope.close();
        assertSame(capped, a.getManager());
        assertFalse(a.isReleased());
        capped.close();
        assertTrue(a.isReleased());
    }

    @Test
    void tempAttachedArrayReattachedToItsScopeStaysTemporary() {
        NDManager scope = manager.newSubManager();
        NDArray a = manager.create(new float[] {1});
        a.tempAttach(scope);
        a.attach(scope); // DJL: the scope keeps it as a temporary resource, returned (not closed) on close
        scope.close();
        assertFalse(a.isReleased());
        assertSame(manager, a.getManager());
    }

    @Test
    void closedManagerRefusesAttach() {
        NDManager sub = manager.newSubManager();
        NDArray a = manager.create(new float[] {1});
        sub.close();
        assertThrows(IllegalStateException.class, () -> a.attach(sub));
        assertThrows(IllegalStateException.class, () -> ((InertiaNDManager) sub).attachArray((InertiaNDArray) a,
                false));
    }

    @Test
    void arraysMadeAndNamedOnManyThreadsAreAllClosedWithTheirManager() throws InterruptedException {
        NDManager sub = manager.newSubManager();
        int threads = 4;
        int per = 500;
        List<NDArray> made = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < per; i++) {
                        NDArray a = sub.create(new float[] {i});
                        made.add(a);
                        if ((i + seed) % 3 == 0) {
                            a.getUid();
                        }
                        if ((i + seed) % 5 == 0) {
                            a.close();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts.add(th);
            th.start();
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread namer = new Thread(() -> { // names arrays while the makers list them: none may be lost
            try {
                while (!done.get()) {
                    List<NDArray> snapshot;
                    synchronized (made) {
                        snapshot = new ArrayList<>(made);
                    }
                    for (NDArray a : snapshot) {
                        a.getUid();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        namer.start();
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        done.set(true);
        namer.join();
        assertNull(failure.get());
        long open = made.stream().filter(a -> !a.isReleased()).count();
        assertEquals(open, sub.getManagedArrays().size());
        sub.close();
        for (NDArray a : made) {
            assertTrue(a.isReleased());
        }
    }
}
