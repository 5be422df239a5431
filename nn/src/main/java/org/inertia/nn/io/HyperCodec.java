package org.inertia.nn.io;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's hyperparameter record ↔ JSON, through its record components: {@code double} and
 * {@code float} as their exact {@link Double#toString} text, {@code long} and {@code int} as integers,
 * {@code boolean}, strings and enum constants (by name) as themselves, {@code double[]} and
 * {@code long[]} / {@code int[]} as arrays. Components of any other type (a restart schedule, a
 * function) are configuration, not stored: decoding takes them from the live optimizer's current
 * record, and the record's constructor re-validates the whole (so a tampered value is rejected with the
 * constructor's message, which names the argument).
 */
final class HyperCodec {
    private HyperCodec() {
    }

    /** The record's storable components, by name, plus {@code "type"}: the record class. */
    static Map<String, Object> encode(Record hyper) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", hyper.getClass().getName());
        for (RecordComponent c : hyper.getClass().getRecordComponents()) {
            Object v = get(c, hyper);
            Object json = toJson(c.getType(), v);
            if (json != null) {
                out.put(c.getName(), json);
            }
        }
        return out;
    }

    /**
     * A record of {@code live}'s class whose storable components come from {@code json} and the others
     * from {@code live}.
     *
     * @throws IllegalArgumentException naming the component that is missing, mistyped or rejected
     */
    static Record decode(Map<?, ?> json, Record live) {
        Class<?> type = live.getClass();
        if (!type.getName().equals(json.get("type"))) {
            throw new IllegalArgumentException("hyperparameters are " + json.get("type") + ", the optimizer's are "
                    + type.getName());
        }
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            RecordComponent c = cs[i];
            types[i] = c.getType();
            if (!storable(c.getType())) {
                args[i] = get(c, live);
                continue;
            }
            if (!json.containsKey(c.getName())) {
                throw new IllegalArgumentException("hyperparameter " + c.getName() + " is missing");
            }
            args[i] = fromJson(c.getName(), c.getType(), json.get(c.getName()));
        }
        for (Object k : json.keySet()) {
            if (!k.equals("type") && java.util.Arrays.stream(cs).noneMatch(c -> c.getName().equals(k))) {
                throw new IllegalArgumentException("unknown hyperparameter " + k + " for " + type.getName());
            }
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            return (Record) ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("hyperparameters rejected by " + type.getSimpleName() + ": "
                    + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot rebuild " + type.getName() + ": " + e, e);
        }
    }

    private static boolean storable(Class<?> t) {
        return t == double.class || t == float.class || t == long.class || t == int.class || t == boolean.class
                || t == String.class || t.isEnum() || t == double[].class || t == long[].class || t == int[].class;
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot read hyperparameter " + c.getName() + " of "
                    + r.getClass().getName() + " (is the record public?): " + e, e);
        }
    }

    private static Object toJson(Class<?> t, Object v) {
        if (t == double.class || t == float.class) {
            return Double.toString(((Number) v).doubleValue());
        }
        if (t == long.class || t == int.class) {
            return ((Number) v).longValue();
        }
        if (t == boolean.class || t == String.class) {
            return v;
        }
        if (t.isEnum()) {
            return ((Enum<?>) v).name();
        }
        if (t == double[].class) {
            List<Object> out = new ArrayList<>();
            for (double d : (double[]) v) {
                out.add(Double.toString(d));
            }
            return out;
        }
        if (t == long[].class) {
            List<Object> out = new ArrayList<>();
            for (long l : (long[]) v) {
                out.add(l);
            }
            return out;
        }
        if (t == int[].class) {
            List<Object> out = new ArrayList<>();
            for (int l : (int[]) v) {
                out.add((long) l);
            }
            return out;
        }
        return null; // configuration: not stored
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object fromJson(String name, Class<?> t, Object v) {
        String bad = "hyperparameter " + name + " must be " + t.getSimpleName() + ", got " + v;
        if (t == double.class || t == float.class) {
            double d = parseDouble(bad, v);
            return t == float.class ? (Object) (float) d : (Object) d;
        }
        if (t == long.class || t == int.class) {
            if (!(v instanceof Long l) || (t == int.class && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE))) {
                throw new IllegalArgumentException(bad);
            }
            return t == int.class ? (Object) l.intValue() : (Object) l;
        }
        if (t == boolean.class) {
            if (!(v instanceof Boolean)) {
                throw new IllegalArgumentException(bad);
            }
            return v;
        }
        if (t == String.class) {
            if (!(v instanceof String)) {
                throw new IllegalArgumentException(bad);
            }
            return v;
        }
        if (t.isEnum()) {
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException(bad);
            }
            try {
                return Enum.valueOf((Class) t, s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(bad);
            }
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(bad);
        }
        if (t == double[].class) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = parseDouble(bad, list.get(i));
            }
            return out;
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || (t == int[].class && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE))) {
                throw new IllegalArgumentException(bad);
            }
            out[i] = (Long) list.get(i);
        }
        if (t == int[].class) {
            int[] ints = new int[out.length];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = (int) out[i];
            }
            return ints;
        }
        return out;
    }

    /** A double stored by {@link #toJson}: its exact decimal text (NaN and ±Infinity spelled out). */
    static double parseDouble(String bad, Object v) {
        if (!(v instanceof String s) || s.isEmpty() || s.strip().length() != s.length()
                || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F")) {
            throw new IllegalArgumentException(bad);
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad);
        }
    }
}
