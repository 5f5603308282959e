package dev.glassbox.instrument.vision;

/**
 * Perceptual colour maps for heat maps: equal steps in value look like equal steps in colour, and lightness
 * rises monotonically, so the maps also read in grey. Each map is a few anchor colours of the matplotlib map of
 * the same name, interpolated linearly.
 */
public enum ColorMap {
    /** Dark purple → blue → green → yellow (matplotlib's default). */
    VIRIDIS(new int[] {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b,
        0xfde725}),
    /** Black → purple → orange → pale yellow: a hot map for class activations. */
    INFERNO(new int[] {0x000004, 0x1b0c41, 0x4a0c6b, 0x781c6d, 0xa52c60, 0xcf4446, 0xed6925, 0xfb9b06, 0xf7d13d,
        0xfcffa4});

    private final int[] anchors;

    ColorMap(int[] anchors) {
        this.anchors = anchors;
    }

    /** The RGB colour (0xRRGGBB) of a value in [0, 1]; values outside are clamped, NaN is black. */
    public int rgb(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        double t = Math.min(1, Math.max(0, value)) * (anchors.length - 1);
        int i = Math.min((int) t, anchors.length - 2);
        double f = t - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return (r << 16) | (g << 8) | bl;
    }
}
