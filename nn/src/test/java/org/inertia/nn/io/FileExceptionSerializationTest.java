package org.inertia.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.inertia.nn.data.IdxFormatException;
import org.junit.jupiter.api.Test;

/**
 * The file-format exceptions are {@code Serializable} (every {@link Throwable} is) though the {@link Path}
 * they name is not: each survives a round trip through Java serialization with its message, problem and
 * file intact.
 */
class FileExceptionSerializationTest {
    private static final Path FILE = Path.of("some", "dir", "model.ckpt");

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T roundTrip(T e) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void checkpointExceptionSurvivesSerialization() throws Exception {
        CheckpointException e = new CheckpointException(FILE, "truncated", new IOException("eof"));
        assertSame(FILE, e.file());
        CheckpointException back = roundTrip(e);
        assertEquals(FILE, back.file());
        assertEquals("truncated", back.problem());
        assertEquals(e.getMessage(), back.getMessage());
        assertEquals("eof", back.getCause().getMessage());
    }

    @Test
    void safeTensorsFormatExceptionSurvivesSerialization() throws Exception {
        SafeTensorsFormatException back = roundTrip(new SafeTensorsFormatException(FILE, "bad header"));
        assertEquals(FILE, back.file());
        assertEquals("bad header", back.problem());
        assertEquals(FILE + ": bad header", back.getMessage());
    }

    @Test
    void idxFormatExceptionSurvivesSerialization() throws Exception {
        IdxFormatException back = roundTrip(new IdxFormatException(FILE, "bad magic", new IOException("gzip")));
        assertEquals(FILE, back.file());
        assertEquals(FILE + ": bad magic", back.getMessage());
        assertEquals("gzip", back.getCause().getMessage());
    }

    @Test
    void aNullFileStaysNull() throws Exception {
        assertNull(roundTrip(new CheckpointException(null, "no file")).file());
    }
}
