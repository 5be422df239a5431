package org.inertia.nn.io;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.inertia.kernels.NdArray;

/**
 * The checksum of a checkpoint: SHA-256 over a canonical encoding of its content, independent of how
 * the safetensors header happens to be laid out. Fed, in order: the tag {@code "inertia-checkpoint-v1"};
 * every tensor sorted by name (UTF-8 byte order) as its name, dtype name, rank, dimensions, byte count and
 * its elements little-endian in row-major order; every metadata entry except the checksum itself, sorted
 * by key, as key and value. Strings are their UTF-8 bytes preceded by the byte count; numbers are 64-bit
 * little-endian. So any change to a tensor's name, shape, dtype or any bit of its data, or to any metadata
 * entry, changes the digest; header whitespace does not.
 */
final class CheckpointDigest {
    private static final int CHUNK = 1 << 20;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private CheckpointDigest() {
    }

    /** Lower-case hex SHA-256 of the content; {@code skipKey} is left out of the metadata. */
    static String of(Map<String, NdArray> tensors, Map<String, String> metadata, String skipKey) {
        MessageDigest md = sha256();
        ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        string(md, scratch, "inertia-checkpoint-v1");
        Comparator<String> utf8 = Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);
        List<String> names = tensors.keySet().stream().sorted(utf8).toList();
        for (String name : names) {
            NdArray a = tensors.get(name);
            string(md, scratch, name);
            string(md, scratch, a.dtype().name());
            number(md, scratch, a.rank());
            for (int d : a.shape().dims()) {
                number(md, scratch, d);
            }
            number(md, scratch, a.numel() * a.dtype().byteSize());
            data(md, a);
        }
        for (String key : metadata.keySet().stream().sorted(utf8).toList()) {
            if (!key.equals(skipKey)) {
                string(md, scratch, key);
                string(md, scratch, metadata.get(key));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static void number(MessageDigest md, ByteBuffer scratch, long v) {
        md.update(scratch.clear().putLong(v).flip());
    }

    private static void string(MessageDigest md, ByteBuffer scratch, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        number(md, scratch, b.length);
        md.update(b);
    }

    private static void data(MessageDigest md, NdArray a) {
        long bytes = a.numel() * a.dtype().byteSize();
        if (bytes == 0) {
            return;
        }
        if (NATIVE_LE && a.isContiguous()) {
            MemorySegment s = a.segment().asSlice(a.offset() * a.dtype().byteSize(), bytes);
            for (long pos = 0; pos < bytes; pos += CHUNK) {
                md.update(s.asSlice(pos, Math.min(CHUNK, bytes - pos)).asByteBuffer());
            }
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        a.forEachOffset(off -> {
            buf.clear();
            switch (a.dtype()) {
                case F32 -> buf.putInt(Float.floatToRawIntBits((float) a.getAtOffset(off)));
                case F64 -> buf.putLong(Double.doubleToRawLongBits(a.getAtOffset(off)));
                case I32 -> buf.putInt((int) a.getAtOffset(off));
            }
            md.update(buf.flip());
        });
    }
}
