package org.inertia.nn.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, so
 * weights move between Inertia and PyTorch ({@code safetensors.torch.load_file} / {@code save_file}).
 *
 * <p>Layout: 8 bytes little-endian u64 {@code N}; {@code N} bytes of UTF-8 JSON header
 * {@code {"__metadata__": {string: string}, "name": {"dtype": "F32", "shape": [..], "data_offsets":
 * [begin, end]}, …}}, padded with spaces; then the data buffer, each tensor little-endian in row-major
 * order at {@code [begin, end)} relative to the buffer start.
 *
 * <p>Writing follows the reference (Rust) writer byte for byte: compact JSON, {@code __metadata__} first
 * (omitted when empty; its keys sorted), tensors ordered by dtype (F64, then F32, then I32 — the
 * reference orders by its dtype enum, descending) and then by name in UTF-8 byte order, data packed in
 * that order with no gaps, header padded with spaces to a multiple of 8 bytes. Saving is atomic: the
 * bytes go to a temporary file in the target's directory, are forced to disk, and the temporary file is
 * renamed over the target, so a failed save never damages the previous file; temporary files left by
 * killed saves of the same target are deleted by the next successful one.
 *
 * <p>Reading is strict and never trusts a size before checking it against the file's length: the header
 * length is capped at {@value #MAX_HEADER_BYTES} bytes (the reference's limit), the JSON must be valid
 * UTF-8 and valid JSON with no duplicate names, every dtype must be known, and the tensors' byte ranges
 * must each match dtype × shape and exactly tile the data buffer (no overlap, no gap, nothing past the
 * end, nothing after the last tensor). Any violation throws {@link SafeTensorsFormatException} naming the
 * file and the problem. F32, F64 and I32 load as they are; other dtypes PyTorch writes load converted:
 * F16 and BF16 to F32 (exactly), BOOL, U8, I8, I16, U16 to I32, and U32, I64, U64 to I32 when every value
 * fits (otherwise an exception names the tensor and the value). F8, F6, F4 and complex dtypes are
 * rejected as unsupported.
 */
public final class SafeTensors {
    /** Largest header accepted on load (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final int IO_CHUNK = 1 << 20;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** The dtypes the format defines that Inertia can read, with their sizes in bytes. */
    private enum StoredType {
        BOOL(1), U8(1), I8(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

        final int bytes;

        StoredType(int bytes) {
            this.bytes = bytes;
        }

        Dtype target() {
            return switch (this) {
                case F16, BF16, F32 -> Dtype.F32;
                case F64 -> Dtype.F64;
                default -> Dtype.I32;
            };
        }

        static StoredType of(Dtype d) {
            return switch (d) {
                case F32 -> F32;
                case F64 -> F64;
                case I32 -> I32;
            };
        }
    }

    /** Dtype names the format defines that Inertia does not read. */
    private static final List<String> UNSUPPORTED = List.of(
            "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64", "C128");

    /** One tensor's header entry. */
    private record Entry(String name, StoredType type, Shape shape, long begin, long end) {
    }

    /** Test seam: called after each tensor's bytes are written during a save. */
    interface WriteHook {
        WriteHook NONE = name -> {
        };

        void afterTensor(String name) throws IOException;
    }

    private SafeTensors() {
    }

    // ================================================================ save

    /**
     * {@link #save(Map, Map, Path)} without metadata.
     *
     * @param tensors the arrays by name, written in the map's iteration order; read only
     * @param file the file to write; its directory must exist
     * @throws IOException if writing fails; the previous {@code file}, if any, is then unchanged
     */
    public static void save(Map<String, NdArray> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} (any views; elements are written in row-major order) and {@code metadata}
     * to {@code file}, atomically replacing it.
     *
     * @param tensors the arrays by name, written in the map's iteration order; read only
     * @param metadata string entries for the {@code __metadata__} header; may be empty
     * @param file the file to write; its directory must exist
     * @throws IllegalArgumentException for the reserved name {@value #METADATA_KEY}, a null name or value,
     *         or a name that is not valid Unicode
     * @throws IllegalStateException if an array is closed (checked before anything is written)
     * @throws IOException if writing fails; the previous {@code file}, if any, is then unchanged
     */
    public static void save(Map<String, NdArray> tensors, Map<String, String> metadata, Path file) throws IOException {
        save(tensors, metadata, file, WriteHook.NONE);
    }

    static void save(Map<String, NdArray> tensors, Map<String, String> metadata, Path file, WriteHook hook)
            throws IOException {
        java.util.Objects.requireNonNull(tensors, "tensors");
        java.util.Objects.requireNonNull(file, "file");
        List<Map.Entry<String, NdArray>> ordered = validateForSave(tensors, metadata);
        byte[] header = headerBytes(ordered, metadata);

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        FileChannel opened = null;
        // Not Files.createTempFile: its owner-only permissions would stick to the renamed file; CREATE_NEW
        // gives the usual umask-derived ones and still never reuses an existing file.
        for (int attempt = 0; opened == null; attempt++) {
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                opened = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
        boolean done = false;
        try {
            try (FileChannel ch = opened) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                for (Map.Entry<String, NdArray> e : ordered) {
                    writeData(ch, e.getValue());
                    hook.afterTensor(e.getKey());
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        syncDirectory(dir);
        removeStaleTemporaries(dir, target);
    }

    /**
     * Deletes the temporary files earlier saves of {@code target} left behind when they were killed
     * ({@code .<name>.<random>.tmp} beside it). Called after a successful save, so none is in use by this
     * writer; a file one writer per target (the documented rule) cannot still be writing. Best effort: a
     * leftover that cannot be deleted stays.
     */
    static void removeStaleTemporaries(Path dir, Path target) {
        String prefix = "." + target.getFileName() + ".";
        try (var files = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp")
                    && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-z]+");
        })) {
            for (Path stale : files) {
                try {
                    Files.deleteIfExists(stale);
                } catch (IOException e) {
                    // left for the next save; the checkpoint itself is complete
                }
            }
        } catch (IOException e) {
            // the directory cannot be listed: nothing to clean that we could reach
        }
    }

    private static List<Map.Entry<String, NdArray>> validateForSave(Map<String, NdArray> tensors,
                                                                     Map<String, String> metadata) {
        List<Map.Entry<String, NdArray>> out = new ArrayList<>();
        for (Map.Entry<String, NdArray> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new IllegalArgumentException("tensor name is null");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name " + METADATA_KEY + " is reserved by the format");
            }
            if (!Json.wellFormed(name)) {
                throw new IllegalArgumentException("tensor name " + name + " contains an unpaired surrogate");
            }
            NdArray a = e.getValue();
            if (a == null) {
                throw new IllegalArgumentException("tensor " + name + " is null");
            }
            if (!a.isOpen()) {
                throw new IllegalStateException("tensor " + name + " (" + a.dtype() + " " + a.shape() + ") is closed");
            }
            out.add(Map.entry(name, a));
        }
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException("metadata holds a null key or value (" + k + " = " + v + ")");
                }
                if (!Json.wellFormed(k) || !Json.wellFormed(v)) {
                    throw new IllegalArgumentException("metadata entry " + k + " contains an unpaired surrogate");
                }
            });
        }
        Comparator<Map.Entry<String, NdArray>> byDtype =
                Comparator.comparingInt(e -> -StoredType.of(e.getValue().dtype()).ordinal());
        out.sort(byDtype.thenComparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return out;
    }

    private static byte[] headerBytes(List<Map.Entry<String, NdArray>> ordered, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            Map<String, Object> sorted = new TreeMap<>(Comparator.comparing(
                    (String k) -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
            sorted.putAll(metadata);
            header.put(METADATA_KEY, new LinkedHashMap<>(sorted));
        }
        long offset = 0;
        for (Map.Entry<String, NdArray> e : ordered) {
            NdArray a = e.getValue();
            long bytes = Math.multiplyExact(a.numel(), (long) a.dtype().byteSize());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", StoredType.of(a.dtype()).name());
            List<Object> shape = new ArrayList<>();
            for (int d : a.shape().dims()) {
                shape.add((long) d);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(FileChannel ch, NdArray a) throws IOException {
        long bytes = a.numel() * a.dtype().byteSize();
        if (bytes == 0) {
            return;
        }
        if (NATIVE_LE && a.isContiguous()) {
            MemorySegment src = a.segment().asSlice(a.offset() * a.dtype().byteSize(), bytes);
            for (long pos = 0; pos < bytes; pos += IO_CHUNK) {
                writeFully(ch, src.asSlice(pos, Math.min(IO_CHUNK, bytes - pos)).asByteBuffer());
            }
            return;
        }
        // A strided view (or a big-endian host): convert element by element through a small buffer.
        ByteBuffer buf = ByteBuffer.allocate(IO_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        IOException[] failure = new IOException[1];
        Dtype d = a.dtype();
        a.forEachOffset(off -> {
            if (failure[0] != null) {
                return;
            }
            switch (d) {
                case F32 -> buf.putFloat((float) a.getAtOffset(off));
                case F64 -> buf.putDouble(a.getAtOffset(off));
                case I32 -> buf.putInt((int) a.getAtOffset(off));
            }
            if (buf.remaining() < 8) {
                try {
                    writeFully(ch, buf.flip());
                } catch (IOException ex) {
                    failure[0] = ex;
                }
                buf.clear();
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        writeFully(ch, buf.flip());
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Makes the rename durable; some platforms cannot open a directory, which only weakens durability. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the data file itself was forced before the rename
        }
    }

    // ================================================================ load

    /**
     * Reads every tensor of {@code file}, in the order of their data in the file. The caller owns the
     * returned arrays (close them, or pass them on).
     *
     * @param file a safetensors file
     * @return a new map of new arrays by name, in file order; the caller closes the arrays
     * @throws SafeTensorsFormatException naming the file and the problem if it is not valid safetensors
     * @throws IOException if reading fails
     */
    public static Map<String, NdArray> load(Path file) throws IOException {
        return read(file).tensors();
    }

    /** A file's tensors (owned by the caller) and its {@code __metadata__}, read through one open. */
    record Contents(Map<String, NdArray> tensors, Map<String, String> metadata) implements AutoCloseable {
        @Override
        public void close() {
            tensors.values().forEach(NdArray::close);
        }
    }

    /** {@link #load} and {@link #metadata} of one and the same file version (one open, one header read). */
    static Contents read(Path file) throws IOException {
        java.util.Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            Map<String, NdArray> out = new LinkedHashMap<>();
            boolean ok = false;
            try {
                for (Entry e : h.entries) {
                    out.put(e.name, readTensor(file, ch, h.dataStart, e));
                }
                ok = true;
                return new Contents(out, h.metadata);
            } finally {
                if (!ok) {
                    out.values().forEach(NdArray::close);
                }
            }
        }
    }

    /**
     * The {@code __metadata__} map of {@code file} (empty when absent); reads only the header.
     *
     * @param file a safetensors file
     * @return the entries, in header order
     * @throws SafeTensorsFormatException if the header is not valid safetensors
     * @throws IOException if reading fails
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        java.util.Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch).metadata;
        }
    }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new SafeTensorsFormatException(file, "file is " + size
                    + " bytes long, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafeTensorsFormatException(file, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n > size - 8) {
            throw new SafeTensorsFormatException(file, "header length " + n + " reaches past the end of the file ("
                    + size + " bytes)");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(file, ch, hb, 8);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsFormatException(file, "header is not valid UTF-8", e);
        }
        if (!text.startsWith("{")) {
            throw new SafeTensorsFormatException(file, "header does not start with '{'");
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.JsonException e) {
            throw new SafeTensorsFormatException(file, "malformed header JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> top)) {
            throw new SafeTensorsFormatException(file, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        long bufferLength = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> kv : top.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = parseMetadata(file, kv.getValue());
            } else {
                entries.add(parseEntry(file, name, kv.getValue(), bufferLength));
            }
        }
        checkTiling(file, entries, bufferLength);
        return new Header(List.copyOf(entries), java.util.Collections.unmodifiableMap(metadata), dataStart);
    }

    private static Map<String, String> parseMetadata(Path file, Object v) throws SafeTensorsFormatException {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == Json.NULL) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new SafeTensorsFormatException(file, METADATA_KEY + " is not a JSON object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafeTensorsFormatException(file, METADATA_KEY + " entry \"" + e.getKey()
                        + "\" is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry parseEntry(Path file, String name, Object v, long bufferLength)
            throws SafeTensorsFormatException {
        String where = "tensor \"" + name + "\"";
        if (!(v instanceof Map<?, ?> m)) {
            throw new SafeTensorsFormatException(file, where + ": entry is not a JSON object");
        }
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new SafeTensorsFormatException(file, where + ": unknown field \"" + k + "\"");
            }
        }
        if (!(m.get("dtype") instanceof String dtypeName)) {
            throw new SafeTensorsFormatException(file, where + ": missing or non-string \"dtype\"");
        }
        StoredType type;
        try {
            type = StoredType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsFormatException(file, where + ": "
                    + (UNSUPPORTED.contains(dtypeName) ? "dtype " + dtypeName + " is not supported"
                    : "unknown dtype \"" + dtypeName + "\""));
        }
        if (!(m.get("shape") instanceof List<?> shapeList)) {
            throw new SafeTensorsFormatException(file, where + ": missing or non-array \"shape\"");
        }
        int[] dims = new int[shapeList.size()];
        for (int i = 0; i < dims.length; i++) {
            long d = nonNegative(file, where + ": shape dimension " + i, shapeList.get(i));
            if (d > Integer.MAX_VALUE) {
                throw new SafeTensorsFormatException(file, where + ": shape dimension " + i + " (" + d
                        + ") exceeds " + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
        }
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) {
            throw new SafeTensorsFormatException(file, where + ": \"data_offsets\" must be an array [begin, end]");
        }
        long begin = nonNegative(file, where + ": data_offsets begin", offs.get(0));
        long end = nonNegative(file, where + ": data_offsets end", offs.get(1));
        if (end < begin) {
            throw new SafeTensorsFormatException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] end before they begin");
        }
        if (end > bufferLength) {
            throw new SafeTensorsFormatException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] reach past the end of the data buffer (" + bufferLength + " bytes)");
        }
        long numel = 1;
        for (int d : dims) {
            // a product past the buffer length is already wrong; stop before it can overflow
            numel = d == 0 || numel == 0 ? 0 : (numel > bufferLength / d ? bufferLength + 1 : numel * d);
        }
        long expected = numel > bufferLength ? -1 : numel * type.bytes;
        if (expected != end - begin) {
            throw new SafeTensorsFormatException(file, where + ": data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but dtype " + type + " × shape " + Arrays.toString(dims) + " needs "
                    + (expected < 0 ? "more than the whole buffer" : expected + " bytes"));
        }
        return new Entry(name, type, Shape.of(dims), begin, end);
    }

    private static long nonNegative(Path file, String what, Object v) throws SafeTensorsFormatException {
        if (v instanceof Long l && l >= 0) {
            return l;
        }
        if (v instanceof BigInteger b && b.signum() > 0) {
            throw new SafeTensorsFormatException(file, what + " (" + b + ") is too large");
        }
        throw new SafeTensorsFormatException(file, what + " must be a non-negative integer, got " + v);
    }

    /** The tensors' byte ranges, sorted, must cover [0, bufferLength) exactly once. */
    private static void checkTiling(Path file, List<Entry> entries, long bufferLength)
            throws SafeTensorsFormatException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin < covered) {
                throw new SafeTensorsFormatException(file, "tensor \"" + e.name + "\" data_offsets [" + e.begin
                        + ", " + e.end + "] overlap tensor \"" + previous.name + "\" [" + previous.begin + ", "
                        + previous.end + "]");
            }
            if (e.begin > covered) {
                throw new SafeTensorsFormatException(file, "bytes [" + covered + ", " + e.begin
                        + ") of the data buffer belong to no tensor (gap before tensor \"" + e.name + "\")");
            }
            covered = e.end;
            previous = e;
        }
        if (covered != bufferLength) {
            throw new SafeTensorsFormatException(file, "the data buffer is " + bufferLength
                    + " bytes but the tensors cover only " + covered);
        }
    }

    private static NdArray readTensor(Path file, FileChannel ch, long dataStart, Entry e) throws IOException {
        NdArray out = NdArray.zeros(e.type.target(), e.shape);
        try {
            long bytes = e.end - e.begin;
            long pos = dataStart + e.begin;
            boolean direct = NATIVE_LE && StoredType.of(out.dtype()) == e.type;
            if (direct) {
                readInto(file, ch, out.segment(), pos, bytes);
            } else {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment raw = arena.allocate(Math.max(bytes, 1)).asSlice(0, bytes);
                    readInto(file, ch, raw, pos, bytes);
                    convert(file, e, raw, out);
                }
            }
            return out;
        } catch (IOException | RuntimeException ex) {
            out.close();
            throw ex;
        }
    }

    private static void readInto(Path file, FileChannel ch, MemorySegment dst, long pos, long bytes)
            throws IOException {
        for (long done = 0; done < bytes; done += IO_CHUNK) {
            ByteBuffer b = dst.asSlice(done, Math.min(IO_CHUNK, bytes - done)).asByteBuffer();
            readFully(file, ch, b, pos + done);
        }
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new SafeTensorsFormatException(file, "file ended early at byte " + pos
                        + " (was it truncated while being read?)");
            }
            pos += r;
        }
    }

    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Widens or narrows stored values into {@code out}'s dtype; every conversion is exact or rejected. */
    private static void convert(Path file, Entry e, MemorySegment raw, NdArray out) throws SafeTensorsFormatException {
        long n = e.shape.numel();
        if (e.type == StoredType.F16 || e.type == StoredType.BF16) {
            // written as float bits, not through a double (which would quiet a signalling NaN)
            MemorySegment dst = out.segment();
            for (long i = 0; i < n; i++) {
                short h = raw.getAtIndex(LE_SHORT, i);
                int bits = e.type == StoredType.BF16 ? (h & 0xffff) << 16 : Float.floatToRawIntBits(Float.float16ToFloat(h));
                dst.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, bits);
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            double v = switch (e.type) {
                case BOOL -> raw.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
                case U8 -> raw.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                case I8 -> raw.get(ValueLayout.JAVA_BYTE, i);
                case I16 -> raw.getAtIndex(LE_SHORT, i);
                case U16 -> raw.getAtIndex(LE_SHORT, i) & 0xffff;
                case F16, BF16 -> throw new AssertionError("converted above");
                case I32 -> raw.getAtIndex(LE_INT, i);
                case U32 -> checkInt(file, e, i, raw.getAtIndex(LE_INT, i) & 0xffffffffL);
                case I64 -> checkInt(file, e, i, raw.getAtIndex(LE_LONG, i));
                case U64 -> {
                    long l = raw.getAtIndex(LE_LONG, i);
                    yield checkInt(file, e, i, l < 0 ? Long.MAX_VALUE : l);
                }
                case F32 -> raw.getAtIndex(LE_FLOAT, i);
                case F64 -> raw.getAtIndex(LE_DOUBLE, i);
            };
            out.setAtOffset(i, v);
        }
    }

    private static int checkInt(Path file, Entry e, long index, long v) throws SafeTensorsFormatException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new SafeTensorsFormatException(file, "tensor \"" + e.name + "\" (" + e.type + ") holds "
                    + (e.type == StoredType.U64 && v == Long.MAX_VALUE ? "a value above 2^63" : v)
                    + " at element " + index + ", outside the int32 range Inertia loads it into");
        }
        return (int) v;
    }

    // ================================================================ modules

    /**
     * Saves every parameter of {@code module} under its dotted name ({@link Module#namedParameters()}).
     *
     * @param module the module; its parameters are read, not changed
     * @param metadata string entries for the {@code __metadata__} header; may be empty
     * @param file the file to write, atomically replaced
     * @throws IOException if writing fails (see {@link #save(Map, Map, Path)})
     */
    public static void saveModule(Module module, Map<String, String> metadata, Path file) throws IOException {
        java.util.Objects.requireNonNull(module, "module");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        module.namedParameters().forEach((name, t) -> arrays.put(name, t.data()));
        save(arrays, metadata, file);
    }

    /**
     * {@link #saveModule(Module, Map, Path)} without metadata.
     *
     * @param module the module; its parameters are read, not changed
     * @param file the file to write, atomically replaced
     * @throws IOException if writing fails (see {@link #save(Map, Map, Path)})
     */
    public static void saveModule(Module module, Path file) throws IOException {
        saveModule(module, Map.of(), file);
    }

    /**
     * Copies the tensors of {@code file} into {@code module}'s parameters (converting dtype if they
     * differ, as PyTorch's {@code load_state_dict} does). Every name and shape is checked before any
     * parameter is touched, so on error nothing is loaded.
     *
     * @param module the module whose parameters to overwrite in place
     * @param file a safetensors file holding exactly the module's parameter names
     * @throws IllegalArgumentException listing every missing parameter, unexpected tensor and shape mismatch
     * @throws SafeTensorsFormatException if the file is not valid safetensors
     */
    public static void loadModule(Module module, Path file) throws IOException {
        java.util.Objects.requireNonNull(module, "module");
        Map<String, Tensor> params = module.namedParameters();
        Map<String, NdArray> loaded = load(file);
        try {
            List<String> problems = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Tensor> p : params.entrySet()) {
                NdArray a = loaded.get(p.getKey());
                if (p.getValue().isClosed() || !p.getValue().data().isOpen()) {
                    problems.add("parameter " + p.getKey() + " is closed");
                } else if (a == null) {
                    missing.add(p.getKey());
                } else if (!a.shape().equals(p.getValue().shape())) {
                    problems.add("parameter " + p.getKey() + " has shape " + p.getValue().shape()
                            + " but the file holds " + a.shape());
                }
            }
            if (!missing.isEmpty()) {
                problems.add("missing parameters " + missing);
            }
            List<String> unexpected = new ArrayList<>();
            for (String name : loaded.keySet()) {
                if (!params.containsKey(name)) {
                    unexpected.add(name);
                }
            }
            if (!unexpected.isEmpty()) {
                problems.add("tensors " + unexpected + " match no parameter");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(file + " does not fit the module: " + String.join("; ", problems));
            }
            for (Map.Entry<String, Tensor> p : params.entrySet()) {
                p.getValue().data().copyFrom(loaded.get(p.getKey()));
            }
        } finally {
            loaded.values().forEach(NdArray::close);
        }
    }
}
