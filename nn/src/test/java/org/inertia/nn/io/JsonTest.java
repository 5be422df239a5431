package org.inertia.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesTheValuesAHeaderUses() throws Exception {
        Object v = Json.parse(" {\"a\": {\"dtype\":\"F32\",\"shape\":[2, 3],\"data_offsets\":[0,24]},"
                + "\"m\":{\"k\":\"v\\n\\u00e9\\ud83d\\ude00\"}, \"x\": [true, false, null, -1.5e3, 18446744073709551615]}   ");
        Map<?, ?> top = (Map<?, ?>) v;
        assertEquals(List.of("a", "m", "x"), List.copyOf(top.keySet()));
        assertEquals(List.of(2L, 3L), ((Map<?, ?>) top.get("a")).get("shape"));
        assertEquals("v\né\uD83D\uDE00", ((Map<?, ?>) top.get("m")).get("k"));
        List<?> x = (List<?>) top.get("x");
        assertEquals(List.of(true, false, Json.NULL, -1500.0, new BigInteger("18446744073709551615")), x);
    }

    @Test
    void rejectsMalformedJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "01", "-", "1.", "1e",
                "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "tru", "nul", "{} x", "{\"a\":1}{}",
                "{\"a\":1,\"a\":2}", "[1 2]", "{\"a\":[}", "'a'")) {
            assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
        }
        var e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertTrue(e.getMessage().contains("duplicate key \"a\""), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        var e = assertThrows(Json.JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Property(tries = 300)
    void writeThenParseRoundTrips(@ForAll String key, @ForAll String value, @ForAll long n) throws Exception {
        if (!Json.wellFormed(key) || !Json.wellFormed(value)) {
            return; // not representable in UTF-8; the writer's callers reject these
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        m.put(key + "#", List.of(n, List.of(), Map.of()));
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void writesCompactlyWithSerdeEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a\"\\\n\u0001é", List.of(1L, 2L));
        assertEquals("{\"a\\\"\\\\\\n\\u0001é\":[1,2]}", Json.write(m));
    }
}
