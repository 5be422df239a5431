package org.inertia.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.testing.MemoryBudget;
import org.inertia.nn.testing.PropertyTempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private final PropertyTempDir tmpDir = new PropertyTempDir("idx-test"); // jqwik properties do not get @TempDir

    private Path tmp() {
        return tmpDir.get();
    }

    @AfterProperty
    void cleanup() throws IOException {
        tmpDir.clear();
    }

    private static final int[] CODES = {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E};

    /** Values exactly representable in each type, including its extremes. */
    private static double randomValue(int code, Random r) {
        return switch (code) {
            case 0x08 -> r.nextInt(256);
            case 0x09 -> r.nextInt(256) - 128;
            case 0x0B -> r.nextInt(65536) - 32768;
            case 0x0C -> r.nextInt();
            case 0x0D -> (double) (float) r.nextGaussian();
            default -> r.nextGaussian() * 1e10;
        };
    }

    @Property(tries = 60)
    void roundTripsEveryTypeRawAndGzip(@ForAll("codes") int code, @ForAll("dims") int[] dims,
                                       @ForAll boolean gzip, @ForAll long seed) throws IOException {
        Random r = new Random(seed);
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        double[] values = new double[n];
        if (n > 0) {
            values[0] = code == 0x08 ? 255 : code == 0x09 ? -128 : values[0]; // an extreme of the unsigned/signed byte
        }
        for (int i = n > 0 ? 1 : 0; i < n; i++) {
            values[i] = randomValue(code, r);
        }
        byte[] raw = IdxFiles.bytes(code, dims, values);
        Path f = IdxFiles.write(tmp().resolve("a" + (gzip ? ".gz" : "")), gzip ? IdxFiles.gzip(raw) : raw);
        try (NdArray a = IdxReader.read(f)) {
            assertArrayEquals(dims, a.shape().dims());
            assertEquals(code == 0x0D ? Dtype.F32 : code == 0x0E ? Dtype.F64 : Dtype.I32, a.dtype());
            assertArrayEquals(values, a.toDoubleArray());
        }
        IdxReader.Header h = IdxReader.readHeader(f);
        assertEquals(code << 8 | dims.length, h.magic());
        assertArrayEquals(dims, h.dims());
    }

    @Provide
    Arbitrary<Integer> codes() {
        return Arbitraries.of(0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E);
    }

    @Provide
    Arbitrary<int[]> dims() {
        return Arbitraries.integers().between(0, 7).array(int[].class).ofMinSize(1).ofMaxSize(4);
    }

    @Test
    void imagesAndLabelsLikeMnist() throws IOException {
        int n = 3;
        double[] pixels = new double[n * 4 * 5];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 37) % 256;
        }
        pixels[1] = 255;
        byte[] imgs = IdxFiles.bytes(0x08, new int[] {n, 4, 5}, pixels);
        byte[] labs = IdxFiles.bytes(0x08, new int[] {n}, new double[] {7, 0, 255});
        for (boolean gz : new boolean[] {false, true}) {
            Path fi = IdxFiles.write(dir.resolve("images" + gz), gz ? IdxFiles.gzip(imgs) : imgs);
            Path fl = IdxFiles.write(dir.resolve("labels" + gz), gz ? IdxFiles.gzip(labs) : labs);
            try (NdArray unit = IdxReader.readImages(fi, IdxReader.PixelScale.UNIT);
                 NdArray raw = IdxReader.readImages(fi, IdxReader.PixelScale.RAW)) {
                assertEquals(Dtype.F32, unit.dtype());
                assertArrayEquals(new int[] {n, 4, 5}, unit.shape().dims());
                float[] u = unit.toFloatArray();
                float[] v = raw.toFloatArray();
                for (int i = 0; i < pixels.length; i++) {
                    assertEquals((float) pixels[i], v[i]);
                    assertEquals((float) pixels[i] / 255f, u[i]); // correctly rounded quotient
                    assertTrue(u[i] >= 0 && u[i] <= 1);
                }
                assertEquals(1.0f, u[1]);
            }
            assertArrayEquals(new int[] {7, 0, 255}, IdxReader.readLabels(fl));
        }
    }

    // ---------------------------------------------------------------- hostile input, one case at a time

    private IdxFormatException rejects(byte[] content, String... fragments) {
        Path f = IdxFiles.write(dir.resolve("bad-" + System.nanoTime()), content);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f).close());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + e.getMessage() + "' lacks '" + s + "'");
        }
        return e;
    }

    @Test
    void wrongMagic() {
        rejects(new byte[] {1, 2, 8, 1, 0, 0, 0, 0}, "wrong magic number 0x01020801");
        rejects(new byte[] {0, 0, 0x0A, 1, 0, 0, 0, 0}, "unknown element type 0x0a");
        rejects(new byte[] {0, 0, 8, 0}, "zero dimensions");
        rejects(new byte[0], "ends inside the header");
        rejects(new byte[] {0, 0, 8}, "ends inside the header");
        rejects(new byte[] {0, 0, 8, 3, 0, 0, 0, 1}, "ends inside the header", "3 dimension sizes");
    }

    @Test
    void imageAndLabelReadersCheckTheMagic() {
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.bytes(0x08, new int[] {2}, new double[] {1, 2}));
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(labels, IdxReader.PixelScale.UNIT));
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
        Path images = IdxFiles.write(dir.resolve("i"), IdxFiles.bytes(0x08, new int[] {1, 1, 1}, new double[] {1}));
        e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(images));
        assertTrue(e.getMessage().contains("expected 0x00000801"), e.getMessage());
        Path noPixels = IdxFiles.write(dir.resolve("z"), IdxFiles.header(0x08, 5, 0, 28));
        e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(noPixels, IdxReader.PixelScale.RAW));
        assertTrue(e.getMessage().contains("no pixels"), e.getMessage());
    }

    @Test
    void absurdDimensionsAreRejectedBeforeAllocating() {
        // 2^31-1 × 2^31-1 f64 elements: the byte count overflows a long
        rejects(IdxFiles.header(0x0E, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE), "more than 2^63 bytes");
        // fits a long but not the file
        rejects(IdxFiles.header(0x08, Integer.MAX_VALUE, Integer.MAX_VALUE), "only 0 follow the header");
        rejects(IdxFiles.gzip(IdxFiles.header(0x08, Integer.MAX_VALUE, Integer.MAX_VALUE)), "gzip file can hold");
        // a dimension of 2^31 or more reads as negative in an int
        byte[] big = IdxFiles.header(0x08, 1, 1);
        big[8] = (byte) 0x80;
        rejects(big, "dimension 1 is 2147483649");
        rejects(IdxFiles.gzip(big), "dimension 1 is 2147483649");
    }

    @Test
    void truncatedAndOverlongData() {
        byte[] ok = IdxFiles.bytes(0x0B, new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6});
        rejects(Arrays.copyOf(ok, ok.length - 1), "need 12 bytes of data but only 11");
        rejects(Arrays.copyOf(ok, ok.length + 2), "2 unexpected bytes after the 12 bytes");
        // gzip: the claim fits deflate's ratio, so the reader streams until the data runs out
        rejects(IdxFiles.gzip(Arrays.copyOf(ok, ok.length - 1)), "data ends after 11 of the 12 bytes");
        rejects(IdxFiles.gzip(Arrays.copyOf(ok, ok.length + 1)), "more data follows the 12 bytes");
        byte[] gz = IdxFiles.gzip(ok);
        rejects(Arrays.copyOf(gz, gz.length - 4), "gzip");  // trailer cut
        rejects(Arrays.copyOf(gz, 14), "gzip");             // deflate stream cut
        rejects(Arrays.copyOf(gz, 5), "gzip header");       // gzip header cut
    }

    @Test
    void gzipClaimWithinDeflateRatioIsReadOnlyAsFarAsDataExists() {
        // 64 KiB of incompressible data claiming 40 MB: deflate could hold that much, so the reader streams,
        // holding only the bytes that arrive, and stops when they run out
        byte[] junk = new byte[1 << 16];
        new Random(1).nextBytes(junk);
        byte[] header = IdxFiles.header(0x08, 40, 1000, 1000);
        byte[] raw = Arrays.copyOf(header, header.length + junk.length);
        System.arraycopy(junk, 0, raw, header.length, junk.length);
        byte[] gz = IdxFiles.gzip(raw);
        assertTrue(40_000_000L <= IdxReader.MAX_DEFLATE_RATIO * gz.length);
        rejects(gz, "data ends after 65536 of the 40000000 bytes");
    }

    // ---------------------------------------------------------------- hostile input, generated

    /** A random header (any type byte, rank, dimension up to 2^32-1) followed by a few random bytes. */
    @Property(tries = 300)
    void randomHeadersFailCleanly(@ForAll("anyDim") int d0, @ForAll("anyDim") int d1, @ForAll("anyDim") int d2,
                                  @ForAll @IntRange(min = 0, max = 255) int typeByte,
                                  @ForAll @IntRange(min = 0, max = 4) int rank,
                                  @ForAll @IntRange(min = 0, max = 64) int extra, @ForAll boolean gzip,
                                  @ForAll long seed) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * rank + extra);
        b.put((byte) 0).put((byte) 0).put((byte) typeByte).put((byte) rank);
        int[] ds = {d0, d1, d2, d0 ^ d1};
        for (int i = 0; i < rank; i++) {
            b.putInt(ds[i]);
        }
        byte[] junk = new byte[extra];
        new Random(seed).nextBytes(junk);
        b.put(junk);
        byte[] content = gzip ? IdxFiles.gzip(b.array()) : b.array();
        expectCleanOutcome(content);
    }

    @Provide
    Arbitrary<Integer> anyDim() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 20), Arbitraries.integers(),
                Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30, 1 << 16));
    }

    /** Every truncation of a valid file (raw or gzip) fails with the documented exception. */
    @Property(tries = 200)
    void truncatedFilesFailCleanly(@ForAll("codes") int code, @ForAll boolean gzip,
                                   @ForAll @IntRange(min = 0, max = 10_000) int cutSeed) throws IOException {
        double[] v = new double[60];
        Random r = new Random(cutSeed);
        for (int i = 0; i < v.length; i++) {
            v[i] = randomValue(code, r);
        }
        byte[] raw = IdxFiles.bytes(code, new int[] {3, 4, 5}, v);
        byte[] full = gzip ? IdxFiles.gzip(raw) : raw;
        int cut = cutSeed % full.length; // strictly shorter than the file
        Path f = IdxFiles.write(tmp().resolve("cut"), Arrays.copyOf(full, cut));
        assertThrows(IdxFormatException.class, () -> IdxReader.read(f).close());
    }

    /** Random byte corruption either still parses or gives the documented exception — nothing else. */
    @Property(tries = 300)
    void corruptedFilesFailCleanly(@ForAll("codes") int code, @ForAll boolean gzip, @ForAll long seed)
            throws IOException {
        Random r = new Random(seed);
        double[] v = new double[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = randomValue(code, r);
        }
        byte[] raw = IdxFiles.bytes(code, new int[] {2, 3, 4}, v);
        byte[] content = gzip ? IdxFiles.gzip(raw) : raw;
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = gzip || r.nextBoolean() ? r.nextInt(content.length) : r.nextInt(16); // raw: mostly the header
            content[at] ^= (byte) (1 << r.nextInt(8));
        }
        expectCleanOutcome(content);
    }

    /**
     * Heap a read may allocate: a few times the bytes the file actually yields (the data chunks, the
     * widened copy, gzip's buffers), plus one read chunk and slack; never anything scaled by what the
     * header claims.
     */
    private static long heapBound(byte[] content) {
        return 16 * IdxFiles.contentLength(content) + (4 << 20);
    }

    private static boolean warm;

    /** Class loading and initialization on the first read are not the reader's working memory. */
    private void warmUpReader() throws IOException {
        if (!warm) {
            byte[] ok = IdxFiles.bytes(0x0B, new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6});
            for (byte[] c : new byte[][] {ok, IdxFiles.gzip(ok), Arrays.copyOf(ok, 9), IdxFiles.gzip(Arrays.copyOf(ok, 9))}) {
                Path f = IdxFiles.write(tmp().resolve("warm"), c);
                try {
                    IdxReader.read(f).close();
                } catch (IdxFormatException expected) {
                    // the exception paths warm up too
                }
            }
            warm = true;
        }
    }

    private void expectCleanOutcome(byte[] content) throws IOException {
        Path f = IdxFiles.write(tmp().resolve("fuzz"), content);
        warmUpReader();
        MemoryBudget budget = MemoryBudget.start();
        try (NdArray a = IdxReader.read(f)) {
            assertTrue(budget.offHeapHeld() <= 4 * IdxFiles.contentLength(content) + 64,
                    "result of " + budget.offHeapHeld() + " bytes from a " + content.length + "-byte file");
            // parsed: then the declared size matched the data exactly
            long bytesPer = switch (content[2]) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                default -> 8;
            };
            if (!(content[0] == 0x1f && (content[1] & 0xff) == 0x8b)) {
                assertEquals(content.length, 4 + 4L * a.rank() + bytesPer * a.numel());
            }
        } catch (IdxFormatException expected) {
            assertTrue(expected.getMessage().startsWith(f.toString()), expected.getMessage());
        } catch (Throwable t) {
            fail("expected success or IdxFormatException, got " + t, t);
        }
        assertEquals(0, budget.offHeapHeld(), "off-heap memory left open");
        assertTrue(budget.heapAllocated() <= heapBound(content), budget.heapAllocated() + " heap bytes allocated for a "
                + content.length + "-byte file (" + IdxFiles.contentLength(content) + " bytes of content)");
    }

    /** NaN payloads (quiet and signalling, any payload bits) are data: f32 and f64 load bit for bit. */
    @Property(tries = 100)
    void nanPayloadsLoadBitForBit(@ForAll boolean f64, @ForAll boolean gzip, @ForAll long seed) throws IOException {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(40);
        ByteBuffer b = ByteBuffer.allocate(8 + n * (f64 ? 8 : 4)); // big-endian, as IDX
        b.put((byte) 0).put((byte) 0).put((byte) (f64 ? 0x0E : 0x0D)).put((byte) 1).putInt(n);
        long[] bits = new long[n];
        for (int i = 0; i < n; i++) {
            bits[i] = switch (r.nextInt(4)) {
                case 0 -> f64 ? 0x7ff0000000000000L | 1 + (r.nextLong() >>> 13) : 0x7f800000L | 1 + r.nextInt(0x3fffff); // signalling
                case 1 -> f64 ? 0xfff8000000000000L | (r.nextLong() >>> 13) : 0xffc00000L | r.nextInt(0x400000); // quiet, negative
                case 2 -> f64 ? Double.doubleToRawLongBits(r.nextGaussian()) : Float.floatToRawIntBits((float) r.nextGaussian());
                default -> f64 ? r.nextLong() : r.nextInt();
            };
            if (f64) {
                b.putLong(bits[i]);
            } else {
                b.putInt((int) bits[i]);
            }
        }
        Path f = IdxFiles.write(tmp().resolve("nan"), gzip ? IdxFiles.gzip(b.array()) : b.array());
        try (NdArray a = IdxReader.read(f)) {
            java.lang.foreign.MemorySegment s = a.segment();
            for (int i = 0; i < n; i++) {
                long got = f64 ? s.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i)
                        : s.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, i) & 0xffffffffL;
                assertEquals(f64 ? bits[i] : bits[i] & 0xffffffffL, got, "element " + i);
            }
        }
    }

    /**
     * Headers claiming up to 2^62 bytes (as several dimensions whose product is huge, or one dimension of
     * 2^31 − 1 in an 8-byte type) over a few bytes of data: refused before any allocation.
     */
    @Property(tries = 100)
    void absurdClaimsAreRefusedBeforeAllocating(@ForAll @IntRange(min = 1, max = 6) int rank,
                                               @ForAll("bigDim") int big, @ForAll boolean gzip) throws IOException {
        int[] dims = new int[rank];
        java.util.Arrays.fill(dims, big);
        byte[] raw = IdxFiles.bytes(0x0E, dims, new double[0]);
        raw = java.util.Arrays.copyOf(raw, raw.length + 24); // a little data, far less than claimed
        Path f = IdxFiles.write(tmp().resolve("absurd"), gzip ? IdxFiles.gzip(raw) : raw);
        warmUpReader();
        MemoryBudget budget = MemoryBudget.start();
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f).close());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(0, budget.offHeapHeld());
        assertTrue(budget.heapAllocated() < (2 << 20), budget.heapAllocated() + " heap bytes for a refused header");
    }

    @Provide
    Arbitrary<Integer> bigDim() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1 << 16, Integer.MAX_VALUE),
                Arbitraries.of(Integer.MAX_VALUE, 1 << 20, 1 << 30, 46341));
    }
}
