package org.inertia.nn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files for tests, following the format description independently of the reader. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** The IDX bytes of {@code values} (row-major) with type byte {@code code} and {@code dims}. */
    static byte[] bytes(int code, int[] dims, double[] values) {
        int size = switch (code) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new IllegalArgumentException("type " + code);
        };
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + size * values.length); // big-endian
        b.put((byte) 0).put((byte) 0).put((byte) code).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        for (double v : values) {
            switch (code) {
                case 0x08, 0x09 -> b.put((byte) (int) v);
                case 0x0B -> b.putShort((short) (int) v);
                case 0x0C -> b.putInt((int) v);
                case 0x0D -> b.putFloat((float) v);
                default -> b.putDouble(v);
            }
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes a reader can get out of {@code content}: its length, or for gzip what inflates before any error. */
    static long contentLength(byte[] content) {
        if (content.length < 2 || content[0] != 0x1f || (content[1] & 0xff) != 0x8b) {
            return content.length;
        }
        long n = 0;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(content))) {
            byte[] buf = new byte[1 << 16];
            for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                n += r;
            }
        } catch (IOException e) {
            // corrupt or truncated: what came out before the error is what a reader could have seen
        }
        return n;
    }

    /** A header-only IDX prefix (magic and dims, no data). */
    static byte[] header(int code, int... dims) {
        return bytes(code, dims, new double[0]);
    }
}
