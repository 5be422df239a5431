package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.inertia.nn.models.PreResNet;
import org.junit.jupiter.api.Test;

/** {@link PreResNet.Config} owns its widths: copied in, copied out, compared by content. */
class PreResNetConfigTest {
    @Test
    void planesAreCopiedInAndOut() {
        int[] planes = {4, 8, 16};
        PreResNet.Config c = new PreResNet.Config(8, PreResNet.Block.BASIC, 1, 10, 4, planes);
        planes[0] = 99;
        assertArrayEquals(new int[] {4, 8, 16}, c.planes());
        c.planes()[1] = 99;
        assertArrayEquals(new int[] {4, 8, 16}, c.planes());
    }

    @Test
    void configsCompareTheirPlanesByContent() {
        PreResNet.Config a = PreResNet.Config.standard(20, 3, 10);
        PreResNet.Config b = PreResNet.Config.standard(20, 3, 10);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("Config[depth=20, block=BASIC, inChannels=3, numClasses=10, stem=16, planes=[16, 32, 64]]",
                a.toString());
        assertNotEquals(a, new PreResNet.Config(20, PreResNet.Block.BASIC, 3, 10, 16, new int[] {16, 32, 32}));
        assertNotEquals(a, PreResNet.Config.standard(20, 1, 10));
    }

    @Test
    void aNullBlockIsNamed() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new PreResNet.Config(8, null, 1, 10, 4, new int[] {4, 8, 16}));
        assertEquals("block", e.getMessage());
    }
}
