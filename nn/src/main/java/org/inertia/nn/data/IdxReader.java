package org.inertia.nn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, from a raw file or a gzip-compressed one (recognised by
 * its magic bytes {@code 1f 8b}, whatever the file name).
 *
 * <p>An IDX file is a 4-byte magic {@code 00 00 TT NN} — {@code TT} the element type ({@code 08} u8,
 * {@code 09} i8, {@code 0B} i16, {@code 0C} i32, {@code 0D} f32, {@code 0E} f64), {@code NN} the number
 * of dimensions — then {@code NN} big-endian 32-bit dimension sizes, then the elements, big-endian, in
 * row-major order. MNIST images are {@code 0x00000803} (u8, [n, rows, cols]), labels {@code 0x00000801}
 * (u8, [n]).
 *
 * <p>Hostile files fail with an {@link IdxFormatException} naming the file and the problem, in memory
 * bounded by the data actually present: the declared size is checked before anything is allocated —
 * exactly against the file length for a raw file; for a gzip file against the most data deflate can
 * expand the file into ({@value #MAX_DEFLATE_RATIO}× its length), after which the data is read in chunks
 * that stop as soon as more arrives than declared or the stream ends early. Trailing bytes after the
 * data are an error too.
 */
public final class IdxReader {
    /** Deflate's largest expansion ratio (a 258-byte match costs at least 2 bits): bounds a gzip's content. */
    static final long MAX_DEFLATE_RATIO = 1032;

    private static final int CHUNK = 1 << 20; // a multiple of every element size, so no element straddles two

    /** The IDX element types. */
    public enum ElementType {
        /** Unsigned byte, type code 0x08. */
        U8(0x08, 1),
        /** Signed byte, type code 0x09. */
        I8(0x09, 1),
        /** Big-endian 16-bit integer, type code 0x0B. */
        I16(0x0B, 2),
        /** Big-endian 32-bit integer, type code 0x0C. */
        I32(0x0C, 4),
        /** Big-endian float32, type code 0x0D. */
        F32(0x0D, 4),
        /** Big-endian float64, type code 0x0E. */
        F64(0x0E, 8);

        private final int code;
        private final int bytes;

        ElementType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /**
         * The type byte in the magic number.
         *
         * @return the type code, e.g. 0x08 for u8
         */
        public int code() {
            return code;
        }

        /**
         * Bytes per element.
         *
         * @return 1, 2, 4 or 8
         */
        public int bytes() {
            return bytes;
        }

        static ElementType of(int code) {
            for (ElementType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        /** The dtype {@link #read} gives: integers widen to I32, floats keep their width. */
        Dtype dtype() {
            return switch (this) {
                case F32 -> Dtype.F32;
                case F64 -> Dtype.F64;
                default -> Dtype.I32;
            };
        }
    }

    /** How {@link #readImages} scales u8 pixels. */
    public enum PixelScale {
        /** Pixel values as stored, 0 … 255. */
        RAW,
        /** Pixel value / 255, in [0, 1] (correctly rounded float division). */
        UNIT
    }

    /**
     * A parsed IDX header.
     *
     * @param type the element type
     * @param dims the dimension sizes, outermost first (copied on the way in and out)
     */
    public record Header(ElementType type, int[] dims) {
        /**
         * Creates a header, copying {@code dims}.
         *
         * @param type the element type
         * @param dims the dimension sizes, outermost first
         */
        public Header {
            dims = dims.clone();
        }

        /**
         * The dimension sizes.
         *
         * @return a new array of the dimension sizes, outermost first
         */
        @Override
        public int[] dims() {
            return dims.clone();
        }

        /**
         * The magic number, e.g. {@code 0x00000803} for MNIST images.
         *
         * @return {@code code << 8 | number of dimensions}
         */
        public int magic() {
            return type.code << 8 | dims.length;
        }

        @Override
        public String toString() {
            return String.format("IDX 0x%08x %s %s", magic(), type, Arrays.toString(dims));
        }
    }

    private IdxReader() {
    }

    /**
     * Reads any IDX file: integer types as I32, f32 as F32, f64 as F64, shaped as the file's dimensions.
     * The caller owns the result.
     *
     * @param file a raw or gzip-compressed IDX file
     * @return a new array the caller closes
     * @throws IdxFormatException if the file is not valid IDX of the expected kind
     * @throws java.io.IOException if the file cannot be read
     */
    public static NdArray read(Path file) throws IOException {
        Contents c = load(file, null, -1);
        return toArray(c, c.header.type.dtype(), 1.0);
    }

    /**
     * Reads an image file (magic {@code 0x00000803}: u8, [n, rows, cols] with rows, cols > 0) as an F32
     * array of shape [n, rows, cols], scaled per {@code scale}. The caller owns the result.
     *
     * @param file a raw or gzip-compressed IDX image file
     * @param scale whether pixels are kept as 0 … 255 or divided by 255
     * @return a new F32 array [n, rows, cols] the caller closes
     * @throws IdxFormatException if the file is not valid IDX of the expected kind
     * @throws java.io.IOException if the file cannot be read
     */
    public static NdArray readImages(Path file, PixelScale scale) throws IOException {
        Contents c = load(file, ElementType.U8, 3);
        int[] d = c.header.dims;
        if (d[1] == 0 || d[2] == 0) {
            throw new IdxFormatException(file, "images of size " + d[1] + "×" + d[2] + " have no pixels");
        }
        return toArray(c, Dtype.F32, scale == PixelScale.UNIT ? 255.0 : 1.0);
    }

    /**
     * Reads a label file (magic {@code 0x00000801}: u8, [n]).
     *
     * @param file a raw or gzip-compressed IDX label file
     * @return a new array of the n labels, each 0 … 255
     * @throws IdxFormatException if the file is not valid IDX of the expected kind
     * @throws java.io.IOException if the file cannot be read
     */
    public static int[] readLabels(Path file) throws IOException {
        Contents c = load(file, ElementType.U8, 1);
        int[] out = new int[c.header.dims[0]];
        int k = 0;
        for (byte[] chunk : c.chunks) {
            for (byte b : chunk) {
                out[k++] = b & 0xff;
            }
        }
        return out;
    }

    /**
     * Reads only the header of {@code file}, validating it (but not the data's length).
     *
     * @param file a raw or gzip-compressed IDX file
     * @return the parsed header
     * @throws IdxFormatException if the file is not valid IDX of the expected kind
     * @throws java.io.IOException if the file cannot be read
     */
    public static Header readHeader(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return parseHeader(file, in, null, -1);
        }
    }

    // ---------------------------------------------------------------- implementation

    /** A header and the data bytes, in chunks of {@link #CHUNK} (the last one shorter). */
    private record Contents(Header header, List<byte[]> chunks) {
    }

    private static InputStream open(Path file) throws IOException {
        java.util.Objects.requireNonNull(file, "file");
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new GZIPInputStream(raw, 1 << 16);
            }
            return raw;
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new IdxFormatException(file, "corrupt gzip header: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static boolean isGzip(InputStream in) {
        return in instanceof GZIPInputStream;
    }

    private static Contents load(Path file, ElementType wantType, int wantRank) throws IOException {
        java.util.Objects.requireNonNull(file, "file");
        long fileSize = Files.size(file);
        try (InputStream in = open(file)) {
            Header h = parseHeader(file, in, wantType, wantRank);
            long headerBytes = 4L + 4L * h.dims.length;
            long payload = payloadBytes(file, h);
            if (!isGzip(in)) {
                long present = fileSize - headerBytes;
                if (payload > present) {
                    throw new IdxFormatException(file, "dimensions " + Arrays.toString(h.dims) + " of " + h.type
                            + " need " + payload + " bytes of data but only " + present
                            + " follow the header (truncated file?)");
                }
                if (payload < present) {
                    throw new IdxFormatException(file, (present - payload) + " unexpected bytes after the "
                            + payload + " bytes of data that dimensions " + Arrays.toString(h.dims) + " declare");
                }
            } else if (payload > MAX_DEFLATE_RATIO * fileSize) {
                throw new IdxFormatException(file, "dimensions " + Arrays.toString(h.dims) + " of " + h.type
                        + " need " + payload + " bytes of data, more than a " + fileSize
                        + "-byte gzip file can hold");
            }
            return new Contents(h, readData(file, in, payload));
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        }
    }

    private static Header parseHeader(Path file, InputStream in, ElementType wantType, int wantRank)
            throws IOException {
        byte[] magic = readHeaderBytes(file, in, 4, "magic number");
        int m = (magic[0] & 0xff) << 24 | (magic[1] & 0xff) << 16 | (magic[2] & 0xff) << 8 | (magic[3] & 0xff);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(file, String.format(
                    "wrong magic number 0x%08x: an IDX file starts with two zero bytes", m));
        }
        ElementType type = ElementType.of(magic[2] & 0xff);
        if (type == null) {
            throw new IdxFormatException(file, String.format("wrong magic number 0x%08x: unknown element type 0x%02x",
                    m, magic[2] & 0xff));
        }
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw new IdxFormatException(file, String.format("wrong magic number 0x%08x: zero dimensions", m));
        }
        if (wantType != null && (type != wantType || rank != wantRank)) {
            throw new IdxFormatException(file, String.format("wrong magic number 0x%08x (%s, %d dimensions): "
                    + "expected 0x%08x (%s, %d dimensions)", m, type, rank, wantType.code << 8 | wantRank,
                    wantType, wantRank));
        }
        byte[] d = readHeaderBytes(file, in, 4 * rank, rank + " dimension sizes");
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int v = (d[4 * i] & 0xff) << 24 | (d[4 * i + 1] & 0xff) << 16 | (d[4 * i + 2] & 0xff) << 8
                    | (d[4 * i + 3] & 0xff);
            if (v < 0) {
                throw new IdxFormatException(file, "dimension " + i + " is " + Integer.toUnsignedString(v)
                        + ", above the largest supported size " + Integer.MAX_VALUE);
            }
            dims[i] = v;
        }
        return new Header(type, dims);
    }

    private static byte[] readHeaderBytes(Path file, InputStream in, int n, String what) throws IOException {
        byte[] b;
        try {
            b = in.readNBytes(n);
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated gzip stream while reading the " + what, e);
        }
        if (b.length < n) {
            throw new IdxFormatException(file, "file ends inside the header (reading the " + what + ")");
        }
        return b;
    }

    private static long payloadBytes(Path file, Header h) throws IdxFormatException {
        long bytes = h.type.bytes;
        for (int d : h.dims) {
            try {
                bytes = Math.multiplyExact(bytes, (long) d);
            } catch (ArithmeticException e) {
                throw new IdxFormatException(file, "dimensions " + Arrays.toString(h.dims) + " of " + h.type
                        + " describe more than 2^63 bytes");
            }
        }
        return bytes;
    }

    /** Reads exactly {@code payload} bytes and checks that nothing follows. Memory grows only with data read. */
    private static List<byte[]> readData(Path file, InputStream in, long payload) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long done = 0;
        try {
            while (done < payload) {
                int n = (int) Math.min(CHUNK, payload - done);
                byte[] chunk = in.readNBytes(n);
                done += chunk.length;
                if (chunk.length < n) {
                    throw new IdxFormatException(file, "data ends after " + done + " of the " + payload
                            + " bytes the header declares (truncated file?)");
                }
                chunks.add(chunk);
            }
            if (in.read() >= 0) {
                throw new IdxFormatException(file, "more data follows the " + payload
                        + " bytes the header declares");
            }
        } catch (EOFException e) {
            throw new IdxFormatException(file, "gzip stream ends early, after " + done + " of the " + payload
                    + " declared data bytes (truncated file?)", e);
        }
        return chunks;
    }

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;

    /**
     * Decodes big-endian elements into a new array of {@code dtype}, dividing by {@code divisor}. Floats
     * kept at their width are copied bit for bit (NaN payloads and signalling NaNs included: a detour
     * through double could quiet them).
     */
    private static NdArray toArray(Contents c, Dtype dtype, double divisor) {
        NdArray out = NdArray.zeros(dtype, Shape.of(c.header.dims));
        MemorySegment seg = out.segment();
        ElementType type = c.header.type;
        boolean scale = divisor != 1.0;
        boolean rawF32 = type == ElementType.F32 && dtype == Dtype.F32 && !scale;
        boolean rawF64 = type == ElementType.F64 && dtype == Dtype.F64;
        long k = 0;
        for (byte[] chunk : c.chunks) {
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(chunk); // big-endian by default, as IDX is
            int n = chunk.length / type.bytes;
            if (rawF32) {
                for (int i = 0; i < n; i++, k++) {
                    seg.setAtIndex(I, k, bb.getInt());
                }
                continue;
            }
            if (rawF64) {
                for (int i = 0; i < n; i++, k++) {
                    seg.setAtIndex(L, k, bb.getLong());
                }
                continue;
            }
            for (int i = 0; i < n; i++, k++) {
                double v = switch (type) {
                    case U8 -> bb.get() & 0xff;
                    case I8 -> bb.get();
                    case I16 -> bb.getShort();
                    case I32 -> bb.getInt();
                    case F32 -> bb.getFloat();
                    case F64 -> bb.getDouble();
                };
                switch (dtype) {
                    case F32 -> seg.setAtIndex(F, k, scale ? (float) v / (float) divisor : (float) v);
                    case F64 -> seg.setAtIndex(D, k, v);
                    case I32 -> seg.setAtIndex(I, k, (int) v);
                }
            }
        }
        return out;
    }
}
