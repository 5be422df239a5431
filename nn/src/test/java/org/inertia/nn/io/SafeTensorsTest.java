package org.inertia.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.testing.MemoryBudget;
import org.inertia.nn.testing.PropertyTempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private final PropertyTempDir tmpDir = new PropertyTempDir("st-test"); // jqwik properties do not get @TempDir

    private Path tmp() {
        return tmpDir.get();
    }

    @AfterProperty
    void cleanup() throws IOException {
        tmpDir.clear();
    }

    // ---------------------------------------------------------------- round trips

    /** A random array of a random dtype and shape (rank 0 … 3, dimensions 0 … 4), random bit patterns. */
    private static NdArray randomArray(Random r) {
        Dtype d = Dtype.values()[r.nextInt(3)];
        int[] dims = new int[r.nextInt(4)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = r.nextInt(5);
        }
        NdArray a = NdArray.zeros(d, dims);
        var seg = a.segment();
        for (long i = 0; i < a.numel(); i++) {
            switch (d) {
                case F32 -> seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i,
                        r.nextInt(8) == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian());
                case F64 -> seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, i,
                        r.nextInt(8) == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextGaussian());
                case I32 -> a.setAtOffset(i, r.nextInt());
            }
        }
        return a;
    }

    /** The raw element bytes, so NaN payloads and -0.0 are compared exactly. */
    private static byte[] rawBytes(NdArray a) {
        NdArray c = a.isContiguous() ? a : a.copy();
        try {
            long n = c.numel() * c.dtype().byteSize();
            return c.segment().asSlice(c.offset() * c.dtype().byteSize(), n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } finally {
            if (c != a) {
                c.close();
            }
        }
    }

    private static String randomName(Random r, int i) {
        String[] parts = {"w", "layer.0.weight", "bias", "é", "日本", "a b", "x\"q", "\uD83D\uDE00"};
        return parts[r.nextInt(parts.length)] + i;
    }

    @Property(tries = 150)
    void roundTripsRandomTensors(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5) int count) throws IOException {
        Random r = new Random(seed);
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                tensors.put(randomName(r, i), randomArray(r));
            }
            if (r.nextBoolean()) {
                meta.put("format", "pt");
                meta.put("note \u00e9", "line1\nline2");
            }
            Path f = tmp().resolve("t.safetensors");
            SafeTensors.save(tensors, meta, f);
            assertEquals(meta, SafeTensors.metadata(f));
            Map<String, NdArray> back = SafeTensors.load(f);
            try {
                assertEquals(tensors.keySet(), back.keySet());
                for (var e : tensors.entrySet()) {
                    NdArray got = back.get(e.getKey());
                    assertEquals(e.getValue().dtype(), got.dtype());
                    assertEquals(e.getValue().shape(), got.shape());
                    assertArrayEquals(rawBytes(e.getValue()), rawBytes(got), e.getKey());
                }
            } finally {
                back.values().forEach(NdArray::close);
            }
            byte[] lenBytes = Arrays.copyOf(Files.readAllBytes(f), 8);
            assertEquals(0, ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong() % 8); // padded
        } finally {
            tensors.values().forEach(NdArray::close);
        }
    }

    @Test
    void stridedViewsAreWrittenInRowMajorOrder() throws IOException {
        try (NdArray a = NdArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            Path f = dir.resolve("v.safetensors");
            SafeTensors.save(Map.of("t", a.transpose(0, 1), "s", a.slice(1, 0, 3, 2)), f);
            Map<String, NdArray> back = SafeTensors.load(f);
            try (NdArray t = back.get("t"); NdArray s = back.get("s")) {
                assertArrayEquals(new int[] {3, 2}, t.shape().dims());
                assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloatArray());
                assertArrayEquals(new float[] {1, 3, 4, 6}, s.toFloatArray());
            }
        }
    }

    // ---------------------------------------------------------------- byte-exact format

    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static byte[] le(Object... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (Object v : values) {
            switch (v) {
                case Float f -> b.putFloat(f);
                case Double d -> b.putDouble(d);
                case Integer i -> b.putInt(i);
                case Long l -> b.putLong(l);
                case Short s -> b.putShort(s);
                case Byte x -> b.put(x);
                default -> throw new IllegalArgumentException();
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * The exact bytes the reference Python library ({@code safetensors.numpy.save_file}, version 0.8) wrote
     * for these tensors: header copied from its output; data laid out by hand per the spec (F64 first, then
     * F32, then I32; names ascending within a dtype).
     */
    @Test
    void writesTheSameBytesAsTheReferenceImplementation() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"z\":\"1\"},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]},"
                + "\"aa\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[32,44]},"
                + "\"c\":{\"dtype\":\"I32\",\"shape\":[0,2],\"data_offsets\":[44,44]}}   "; // padded to 264 = 33·8
        assertEquals(264, header.length());
        byte[] expected = file(header, le(1.5, 0f, 1f, 2f, 3f, 4f, 5f, 0, 1, 2));
        assertEquals(316, expected.length); // the reference file's size

        Map<String, NdArray> tensors = new LinkedHashMap<>();
        try (NdArray b = NdArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
             NdArray a = NdArray.scalar(Dtype.F64, 1.5);
             NdArray c = NdArray.zeros(Dtype.I32, 0, 2);
             NdArray aa = NdArray.ofInts(new int[] {0, 1, 2}, 3)) {
            tensors.put("b", b);
            tensors.put("a", a);
            tensors.put("c", c);
            tensors.put("aa", aa);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("z", "1");
            meta.put("format", "pt");
            Path f = dir.resolve("exact.safetensors");
            SafeTensors.save(tensors, meta, f);
            assertArrayEquals(expected, Files.readAllBytes(f));
        }
    }

    @Test
    void readsAHandBuiltFileIncludingConvertedDtypes() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[6,8]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[8,24]},"
                + "\"flag\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[24,25]}}";
        byte[] data = le((short) 0x3C00, (short) 0xC000, (short) 0x3FC0, (byte) 255, (byte) 7, -5L, 1L << 30, (byte) 1);
        Path f = Files.write(dir.resolve("conv.safetensors"), file(header, data));
        Map<String, NdArray> m = SafeTensors.load(f);
        try {
            assertEquals(List.of("h", "bf", "u", "l", "flag"), List.copyOf(m.keySet())); // data order
            assertArrayEquals(new float[] {1f, -2f}, m.get("h").toFloatArray());
            assertArrayEquals(new float[] {1.5f}, m.get("bf").toFloatArray());
            assertArrayEquals(new int[] {255, 7}, m.get("u").toIntArray());
            assertArrayEquals(new int[] {-5, 1 << 30}, m.get("l").toIntArray());
            assertEquals(Dtype.I32, m.get("flag").dtype());
            assertEquals(1, m.get("flag").getAtOffset(0));
        } finally {
            m.values().forEach(NdArray::close);
        }
        String tooBig = "{\"l\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        rejects(file(tooBig, le(1L << 40)), "holds 1099511627776 at element 0, outside the int32 range");
    }

    // ---------------------------------------------------------------- hostile input

    private SafeTensorsFormatException rejects(byte[] content, String fragment) {
        Path f;
        try {
            f = Files.write(dir.resolve("bad-" + System.nanoTime() + ".safetensors"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class,
                () -> SafeTensors.load(f).values().forEach(NdArray::close));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
    }

    private static final String ONE = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void hostileHeaders() {
        byte[] data = le(1f, 2f);
        rejects(new byte[5], "too short for the 8-byte header length");
        byte[] past = file(ONE, data);
        past[0] = (byte) 200;
        rejects(past, "header length 200 reaches past the end of the file");
        byte[] absurd = file(ONE, data);
        absurd[6] = 1; // 2^48 + …
        rejects(absurd, "exceeds the limit of 100000000 bytes");
        byte[] negative = file(ONE, data);
        negative[7] = (byte) 0x80; // u64 above 2^63
        rejects(negative, "exceeds the limit");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", data), "malformed header JSON");
        rejects(file("[1,2]", data), "header does not start with '{'");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}", data), "duplicate key \"w\"");
        rejects(file(ONE.replace("F32", "Q7"), data), "unknown dtype \"Q7\"");
        rejects(file(ONE.replace("F32", "F8_E4M3"), data), "dtype F8_E4M3 is not supported");
        rejects(file(ONE.replace("[0,8]", "[0,16]"), data), "reach past the end of the data buffer (8 bytes)");
        rejects(file(ONE.replace("[0,8]", "[8,0]"), data), "end before they begin");
        rejects(file(ONE.replace("[0,8]", "[0,4]"), data), "span 4 bytes but dtype F32 × shape [2] needs 8 bytes");
        rejects(file(ONE.replace("[2]", "[2,-1]"), data), "must be a non-negative integer");
        rejects(file(ONE.replace("[2]", "[4294967296]"), data), "exceeds 2147483647");
        rejects(file(ONE.replace("[2]", "[2147483647,2147483647,2147483647]"), data), "more than the whole buffer");
        rejects(file(ONE.replace("[0,8]", "[0,18446744073709551616]"), data), "too large");
        rejects(file(ONE.replace("[0,8]", "[0]"), data), "must be an array [begin, end]");
        rejects(file(ONE.replace("\"shape\"", "\"shap\""), data), "unknown field \"shap\"");
        rejects(file(ONE, le(1f, 2f, 3f)), "the data buffer is 12 bytes but the tensors cover only 8");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data), "overlap tensor \"a\"");
        rejects(file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data), "gap before tensor \"b\"");
        rejects(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__ entry \"k\" is not a string");
        byte[] badUtf8 = file("{\"\u00e9\":{}}", new byte[0]);
        badUtf8[11] = (byte) 0xff;
        rejects(badUtf8, "not valid UTF-8");
    }

    /** Every truncation of a valid file fails with the documented exception. */
    @Property(tries = 200)
    void truncatedFilesFailCleanly(@ForAll long seed) throws IOException {
        Path f = tmp().resolve("full.safetensors");
        writeRandomFile(new Random(seed), f);
        byte[] full = Files.readAllBytes(f);
        int cut = (int) Math.floorMod(seed, (long) full.length);
        Path g = Files.write(tmp().resolve("cut.safetensors"), Arrays.copyOf(full, cut));
        assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(g).values().forEach(NdArray::close));
    }

    /** Random corruption of header bytes or the header length loads (if still consistent) or fails cleanly. */
    @Property(tries = 300)
    void corruptedFilesFailCleanly(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        Path f = tmp().resolve("full.safetensors");
        writeRandomFile(r, f);
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt((int) Math.min(b.length, 8 + n));
            if (r.nextBoolean()) {
                b[at] ^= (byte) (1 << r.nextInt(8));
            } else {
                b[at] = (byte) "{}[],:\" 0123456789-eE.FIU".charAt(r.nextInt(25));
            }
        }
        Path g = Files.write(tmp().resolve("fuzz.safetensors"), b);
        try {
            SafeTensors.load(g).values().forEach(NdArray::close);
        } catch (SafeTensorsFormatException expected) {
            assertTrue(expected.getMessage().startsWith(g.toString()));
        } catch (Throwable t) {
            fail("expected success or SafeTensorsFormatException, got " + t, t);
        }
    }

    // ---------------------------------------------------------------- generated hostile files, bounded memory

    private static final String[] DTYPES = {"F32", "F64", "I32", "F16", "BF16", "U8", "I8", "I16", "U16", "U32",
        "I64", "U64", "BOOL"};
    private static final String[] ODD_DTYPES = {"Q7", "f32", "F8_E4M3", "C64", "", "F32 ", "\\u0046\\u0033\\u0032"};
    private static final String[] ABSURD_NUMBERS = {"1048576", "2147483647", "2147483648", "4294967296",
        "1099511627776", "9223372036854775807", "18446744073709551616", "-1", "1e3", "2.5", "\"7\"", "null", "true",
        "123456789012345678901234567890"};

    private static int size(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            default -> 1;
        };
    }

    /** Random bytes for {@code n} elements, a third of them NaN bit patterns when the type is floating. */
    private static void payload(Random r, String dtype, long n, ByteBuffer out) {
        for (long i = 0; i < n; i++) {
            boolean nan = r.nextInt(3) == 0;
            switch (dtype) {
                case "F64" -> out.putLong(nan ? 0x7ff0000000000001L | r.nextLong() : Double.doubleToRawLongBits(r.nextGaussian()));
                case "F32" -> out.putInt(nan ? 0x7f800001 | r.nextInt() : Float.floatToRawIntBits((float) r.nextGaussian()));
                case "F16", "BF16" -> out.putShort((short) (nan ? (dtype.equals("F16") ? 0x7c01 : 0x7f81) | r.nextInt() : r.nextInt()));
                // values that fit the int32 Inertia widens to (the out-of-range refusal has its own test)
                case "U32" -> out.putInt(r.nextInt() & 0x7fffffff);
                case "I64" -> out.putLong(r.nextInt());
                case "U64" -> out.putLong(r.nextInt() & 0x7fffffffL);
                default -> {
                    for (int b = 0; b < size(dtype); b++) {
                        out.put((byte) r.nextInt());
                    }
                }
            }
        }
    }

    /**
     * A safetensors file built to lie: a consistent file (one to three tensors, NaN payloads included) with
     * one kind of damage, by {@code kind}: 0 an absurd dimension (up to 2^64, negative, fractional, a
     * string), 1 byte offsets past the end or reversed, 2 a header length that lies (up to 2^64 − 1), 3 an
     * unknown or unsupported dtype, 4 a structural error (missing, extra or mistyped fields, duplicate
     * names, nesting 80 deep, a non-object), 5 a truncation, 6 data bytes added or removed, 7 none.
     */
    private static byte[] hostileFile(Random r, int kind) {
        int count = 1 + r.nextInt(3);
        List<String> entries = new java.util.ArrayList<>();
        ByteBuffer data = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < count; t++) {
            String dtype = DTYPES[r.nextInt(DTYPES.length)];
            int rank = r.nextInt(4);
            List<String> dims = new java.util.ArrayList<>();
            long numel = 1;
            for (int d = 0; d < rank; d++) {
                int v = r.nextInt(5);
                dims.add(Integer.toString(v));
                numel *= v;
            }
            long begin = data.position();
            payload(r, dtype, numel, data);
            String[] offsets = {Long.toString(begin), Long.toString(data.position())};
            if (kind == 0 && t == 0) {
                String absurd = ABSURD_NUMBERS[r.nextInt(ABSURD_NUMBERS.length)];
                if (dims.isEmpty()) {
                    dims.add(absurd);
                } else {
                    dims.set(r.nextInt(dims.size()), absurd);
                }
            }
            if (kind == 1 && t == 0) {
                String[] lies = {"1099511627776", "9223372036854775807", "18446744073709551616", "-8",
                    Long.toString(data.position() + 1 + r.nextInt(64)), Long.toString(Math.max(0, begin - 1))};
                offsets[r.nextInt(2)] = lies[r.nextInt(lies.length)];
            }
            if (kind == 3 && t == 0) {
                dtype = ODD_DTYPES[r.nextInt(ODD_DTYPES.length)];
            }
            String shape = "[" + String.join(",", dims) + "]";
            String entry = "\"t" + t + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                    + ",\"data_offsets\":[" + offsets[0] + "," + offsets[1] + "]}";
            if (kind == 4 && t == 0) {
                entry = switch (r.nextInt(7)) {
                    case 0 -> entry.replace(",\"shape\":" + shape, "");
                    case 1 -> entry.replace("}", ",\"extra\":1}");
                    case 2 -> entry.replace("\"shape\":" + shape, "\"shape\":\"" + shape + "\"");
                    case 3 -> entry + "," + entry; // duplicate name
                    case 4 -> entry.replace("\"shape\":" + shape, "\"shape\":" + "[".repeat(80) + "]".repeat(80));
                    case 5 -> "\"__metadata__\":{\"k\":[1]}," + entry;
                    default -> entry.replace("\"data_offsets\":[" + offsets[0] + "," + offsets[1] + "]",
                            "\"data_offsets\":{\"begin\":0}");
                };
            }
            entries.add(entry);
        }
        String json = "{\"__metadata__\":{\"format\":\"pt\"}," + String.join(",", entries) + "}";
        if (kind == 4 && r.nextInt(4) == 0) {
            json = "[" + json + "]";
        }
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        int dataLength = data.position();
        if (kind == 6) {
            dataLength = Math.max(0, dataLength + (r.nextBoolean() ? 1 + r.nextInt(16) : -1 - r.nextInt(16)));
        }
        long declared = header.length;
        if (kind == 2) {
            long[] lies = {header.length + 1 + r.nextInt(64), Math.max(0, header.length - 1 - r.nextInt(8)), 0,
                1L << 40, Long.MIN_VALUE, -1L, SafeTensors.MAX_HEADER_BYTES + 1};
            declared = lies[r.nextInt(lies.length)];
        }
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + Math.max(dataLength, data.position()))
                .order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(declared).put(header).put(data.array(), 0, Math.min(dataLength, data.position()));
        byte[] out = Arrays.copyOf(file.array(), 8 + header.length + dataLength);
        if (kind == 5) {
            out = Arrays.copyOf(out, r.nextInt(out.length));
        }
        return out;
    }

    /**
     * Every generated hostile file (500 tries over the eight kinds) either loads — then it was consistent
     * and the tensors hold at most 4× its bytes — or fails with the documented exception naming the file.
     * Never another exception, never an OutOfMemoryError: heap allocated during the attempt stays within
     * 32× the file's length plus 2 MiB (so nothing is sized from a claim), and no off-heap memory is left.
     */
    @Property(tries = 500)
    void generatedHostileFilesFailCleanlyWithinBoundedMemory(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        int kind = (int) Math.floorMod(seed, 8L);
        byte[] content = hostileFile(r, kind);
        Path f = Files.write(tmp().resolve("hostile.safetensors"), content);
        warmUpReader(); // class loading and initialization on the first call are not the reader's working memory
        MemoryBudget budget = MemoryBudget.start();
        try {
            Map<String, NdArray> m = SafeTensors.load(f);
            long held = budget.offHeapHeld();
            m.values().forEach(NdArray::close);
            assertTrue(held <= 4L * content.length, held + " off-heap bytes from a " + content.length + "-byte file");
            net.jqwik.api.statistics.Statistics.collect(kind, "loaded");
        } catch (SafeTensorsFormatException expected) {
            assertTrue(expected.getMessage().startsWith(f.toString()), expected.getMessage());
            assertTrue(kind != 7, "a consistent file was refused: " + expected.getMessage());
            net.jqwik.api.statistics.Statistics.collect(kind, "refused");
        } catch (Throwable t) {
            fail("kind " + kind + ": expected success or SafeTensorsFormatException, got " + t, t);
        }
        assertEquals(0, budget.offHeapHeld(), "off-heap memory left open");
        long heap = budget.heapAllocated();
        assertTrue(heap <= 32L * content.length + (2 << 20), heap + " heap bytes for a " + content.length + "-byte file");
    }

    private static boolean warm;

    private void warmUpReader() throws IOException {
        if (!warm) {
            for (int kind = 0; kind < 8; kind++) {
                Path f = Files.write(tmp().resolve("warm.safetensors"), hostileFile(new Random(kind), kind));
                try {
                    SafeTensors.load(f).values().forEach(NdArray::close);
                } catch (SafeTensorsFormatException expected) {
                    // the exception paths warm up too
                }
            }
            warm = true;
        }
    }

    /** A header claiming 2^40 elements over 16 bytes of data is refused from the header alone. */
    @Test
    void aClaimOf2To40ElementsIsRefusedBeforeAllocating() throws IOException {
        for (String offsets : new String[] {"[0,4398046511104]", "[0,16]"}) {
            String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":" + offsets + "}}";
            Path f = Files.write(dir.resolve("claim.safetensors"), file(header, new byte[16]));
            warmUpReader();
            MemoryBudget budget = MemoryBudget.start();
            var e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.load(f));
            assertTrue(e.getMessage().contains(offsets.equals("[0,16]") ? "more than the whole buffer"
                    : "reach past the end of the data buffer"), e.getMessage());
            assertEquals(0, budget.offHeapHeld());
            assertTrue(budget.heapAllocated() < (1 << 20), budget.heapAllocated() + " heap bytes");
        }
    }

    /** NaN payloads are data: F32 and F64 load bit for bit, BF16 widens bit for bit, F16 NaN stays NaN. */
    @Property(tries = 100)
    void nanPayloadsSurviveLoading(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(20);
        ByteBuffer data = ByteBuffer.allocate(n * (8 + 4 + 2 + 2)).order(ByteOrder.LITTLE_ENDIAN);
        long[] d = new long[n];
        int[] f = new int[n];
        short[] h = new short[n];
        short[] bf = new short[n];
        for (int i = 0; i < n; i++) {
            d[i] = 0x7ff0000000000001L | (r.nextLong() & 0x800fffffffffffffL); // NaN, any sign, signalling or quiet
            data.putLong(d[i]);
        }
        for (int i = 0; i < n; i++) {
            f[i] = 0x7f800001 | (r.nextInt() & 0x807fffff);
            data.putInt(f[i]);
        }
        for (int i = 0; i < n; i++) {
            h[i] = (short) (0x7c01 | (r.nextInt() & 0x83ff));
            data.putShort(h[i]);
        }
        for (int i = 0; i < n; i++) {
            bf[i] = (short) (0x7f81 | (r.nextInt() & 0x807f));
            data.putShort(bf[i]);
        }
        long e1 = 8L * n, e2 = e1 + 4L * n, e3 = e2 + 2L * n, e4 = e3 + 2L * n;
        String header = "{\"d\":{\"dtype\":\"F64\",\"shape\":[" + n + "],\"data_offsets\":[0," + e1 + "]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[" + n + "],\"data_offsets\":[" + e1 + "," + e2 + "]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[" + n + "],\"data_offsets\":[" + e2 + "," + e3 + "]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[" + n + "],\"data_offsets\":[" + e3 + "," + e4 + "]}}";
        Path p = Files.write(tmp().resolve("nan.safetensors"), file(header, data.array()));
        Map<String, NdArray> m = SafeTensors.load(p);
        try {
            var I = java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
            var L = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
            for (int i = 0; i < n; i++) {
                assertEquals(d[i], m.get("d").segment().getAtIndex(L, i), "F64 " + i);
                assertEquals(f[i], m.get("f").segment().getAtIndex(I, i), "F32 " + i);
                assertEquals((bf[i] & 0xffff) << 16, m.get("b").segment().getAtIndex(I, i), "BF16 " + i);
                assertTrue(Float.isNaN(Float.intBitsToFloat(m.get("h").segment().getAtIndex(I, i))), "F16 " + i);
            }
        } finally {
            m.values().forEach(NdArray::close);
        }
    }

    private static void writeRandomFile(Random r, Path f) throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        try {
            for (int i = 0; i < 1 + r.nextInt(3); i++) {
                tensors.put("t" + i, randomArray(r));
            }
            SafeTensors.save(tensors, Map.of("format", "pt"), f);
        } finally {
            tensors.values().forEach(NdArray::close);
        }
    }

    // ---------------------------------------------------------------- atomic save

    private List<String> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertHolds(Path f, float... expected) throws IOException {
        Map<String, NdArray> m = SafeTensors.load(f);
        try {
            assertArrayEquals(expected, m.get("w").toFloatArray());
        } finally {
            m.values().forEach(NdArray::close);
        }
    }

    @Test
    void failedSavesLeaveThePreviousFileIntactAndNoLitter() throws IOException {
        Path f = dir.resolve("model.safetensors");
        try (NdArray w = NdArray.of(new float[] {1, 2}, 2); NdArray w2 = NdArray.of(new float[] {3, 4, 5}, 3);
             NdArray big = NdArray.zeros(Dtype.F32, 1000)) {
            SafeTensors.save(Map.of("w", w), f);
            assertEquals(List.of("model.safetensors"), listing());

            // a closed array: rejected before anything is written
            NdArray closed = NdArray.zeros(Dtype.F32, 3);
            closed.close();
            var e = assertThrows(IllegalStateException.class,
                    () -> SafeTensors.save(Map.of("w", w2, "dead", closed), f));
            assertTrue(e.getMessage().contains("dead"), e.getMessage());
            assertHolds(f, 1, 2);
            assertEquals(List.of("model.safetensors"), listing());

            // a failure midway through the data (after the first tensor's bytes reached the temp file)
            Map<String, NdArray> two = new LinkedHashMap<>();
            two.put("w", w2);
            two.put("z", big);
            IOException midway = assertThrows(IOException.class, () -> SafeTensors.save(two, Map.of(), f, name -> {
                throw new IOException("disk full after " + name);
            }));
            assertEquals("disk full after w", midway.getMessage()); // w is written, z is not yet
            assertHolds(f, 1, 2);
            assertEquals(List.of("model.safetensors"), listing());

            // a missing directory: nothing is created anywhere
            assertThrows(NoSuchFileException.class, () -> SafeTensors.save(Map.of("w", w2), dir.resolve("no/x.st")));
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(Map.of("__metadata__", w2), f));
            assertEquals(List.of("model.safetensors"), listing());

            // the saved file gets ordinary (umask-derived) permissions, not a temp file's owner-only ones
            if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Path plain = Files.createFile(dir.resolve("plain"));
                assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
                Files.delete(plain);
            }

            // and a successful save replaces the file
            SafeTensors.save(Map.of("w", w2), f);
            assertHolds(f, 3, 4, 5);
            assertEquals(List.of("model.safetensors"), listing());
        }
    }

    // ---------------------------------------------------------------- modules

    static final class Leaf extends Module {
        final Tensor w;

        Leaf(double v, int rows) {
            w = parameter("w", Tensor.parameter(NdArray.full(Dtype.F32, v, rows, 2)));
        }
    }

    static final class Net extends Module {
        final Tensor bias;
        final Leaf child;

        Net(double v, int childRows) {
            bias = parameter("bias", Tensor.parameter(NdArray.full(Dtype.F32, v, 3)));
            child = module("child", new Leaf(v + 1, childRows));
        }
    }

    @Test
    void modulesSaveAndLoadByDottedName() throws IOException {
        Path f = dir.resolve("net.safetensors");
        try (Net a = new Net(1, 4); Net b = new Net(7, 4)) {
            a.bias.data().set(-3, 1);
            SafeTensors.saveModule(a, Map.of("epoch", "3"), f);
            assertEquals(Map.of("epoch", "3"), SafeTensors.metadata(f));
            Map<String, NdArray> raw = SafeTensors.load(f);
            assertEquals(List.of("bias", "child.w"), List.copyOf(raw.keySet()));
            raw.values().forEach(NdArray::close);
            SafeTensors.loadModule(b, f);
            assertArrayEquals(a.bias.data().toFloatArray(), b.bias.data().toFloatArray());
            assertArrayEquals(a.child.w.data().toFloatArray(), b.child.w.data().toFloatArray());
        }
    }

    @Test
    void mismatchedModulesAreNotTouched() throws IOException {
        Path f = dir.resolve("net.safetensors");
        try (Net a = new Net(1, 4); Net other = new Net(7, 5)) {
            SafeTensors.saveModule(a, f);
            // "bias" matches and comes first, but child.w's shape does not: nothing may be copied
            var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.loadModule(other, f));
            assertTrue(e.getMessage().contains("child.w has shape [5, 2] but the file holds [4, 2]"), e.getMessage());
            assertArrayEquals(new float[] {7, 7, 7}, other.bias.data().toFloatArray());

            try (Leaf leaf = new Leaf(0, 4)) {
                e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.loadModule(leaf, f));
                assertTrue(e.getMessage().contains("missing parameters [w]"), e.getMessage());
                assertTrue(e.getMessage().contains("tensors [bias, child.w] match no parameter"), e.getMessage());
            }
        }
    }
}
