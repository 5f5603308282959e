package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorWideRowsTest {

    @Test
    void wideRowsTakeTheVectorLoopsWhenTheModuleIsThere() {
        assertTrue(Metrics.wideRows(VectorWideRows.MIN_LENGTH), "the tests run with jdk.incubator.vector");
        assertTrue(!Metrics.wideRows(VectorWideRows.MIN_LENGTH - 1));
    }

    /** Every pair of 7 rows, the last row included (its vector steps must stop before the array's end). */
    @Test
    void squaredDistancesAgreeWithTheScalarDefinition() {
        SplittableRandom random = new SplittableRandom(8);
        for (int dims : new int[] {512, 517, 1000, 11520}) {
            int n = 7;
            float[] data = new float[n * dims];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(4) == 0 ? 0f : (float) (random.nextGaussian() * 3);
            }
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double expected = VpTree.squaredDistance(data, dims, a, b);
                    assertEquals(expected, VectorWideRows.squaredDistance(data, dims, a, b), 1e-12 * expected,
                            dims + " dims, rows " + a + " and " + b);
                }
            }
        }
    }

    /**
     * Dot products of a block of rows with every row, in pieces of {@link VectorWideRows#DOT_CHUNK} values: the
     * sums of the exact double products, to rounding, for blocks and row counts that are not multiples of four,
     * rows shorter and longer than a piece, and the array's last rows.
     */
    @Test
    void dotRowsGivesEveryRowsDotProducts() {
        SplittableRandom random = new SplittableRandom(10);
        for (int dims : new int[] {512, 530, VectorWideRows.DOT_CHUNK + 77}) {
            int n = 11;
            float[] data = new float[n * dims];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            int chunk = Math.min(dims, VectorWideRows.DOT_CHUNK);
            double[] out = new double[7 * n];
            for (int[] block : new int[][] {{0, 7}, {4, 7}, {10, 1}, {3, 4}}) {
                VectorWideRows.dotRows(data, dims, n, block[0], block[1], new double[8][chunk], new double[4][chunk],
                        out);
                for (int r = 0; r < block[1]; r++) {
                    for (int j = 0; j < n; j++) {
                        double expected = 0;
                        double magnitude = 0;
                        for (int c = 0; c < dims; c++) {
                            double product = (double) data[(block[0] + r) * dims + c] * data[j * dims + c];
                            expected += product;
                            magnitude += Math.abs(product);
                        }
                        assertEquals(expected, out[r * n + j], 1e-13 * magnitude,
                                dims + " dims, rows " + (block[0] + r) + " and " + j);
                    }
                }
            }
        }
    }

    /**
     * Rows with exact and near ties (repeated rows, rows one float step apart in one value, a row of zeros twice),
     * over several blocks of {@link Metrics#DISTANCE_BLOCK} rows with a ragged last one, narrow (the scalar distance
     * decides near ties) and wide (the vector distance does): the ranks from estimated distances must be those of
     * the direct distances, ties broken by index.
     */
    @Test
    void trustworthinessFromDotProductsWithTiesMatchesTheDirectDistances() {
        for (int dims : new int[] {Metrics.DISTANCES_FROM_DOTS, 100, 700}) {
            SplittableRandom random = new SplittableRandom(3);
            int n = 2 * Metrics.DISTANCE_BLOCK + 37;
            float[][] x = new float[n][dims];
            float[][] y = new float[n][2];
            for (int i = 0; i < n; i++) {
                if (i % 5 == 1) {
                    x[i] = x[i - 1].clone();                               // a repeated row
                } else if (i % 5 == 2) {
                    x[i] = x[i - 2].clone();
                    x[i][i % dims] = Math.nextUp(x[i][i % dims]);          // one float step from it
                } else if (i == 40 || i == 41) {
                    x[i] = new float[dims];                                // zeros, twice
                } else {
                    for (int j = 0; j < dims; j++) {
                        x[i][j] = (float) Math.max(0, random.nextGaussian() + (j % 7 == i % 7 ? 2 : 0));
                    }
                }
                y[i][0] = (float) random.nextGaussian() + i % 7;
                y[i][1] = (float) random.nextGaussian();
            }
            int k = 7;
            float[] data = TSne.flatten(x);
            int d = dims;
            double expected = definition(x, y, k, (a, b) -> Metrics.wideRows(d)
                    ? VectorWideRows.squaredDistance(data, d, a, b) : VpTree.squaredDistance(data, d, a, b));
            assertEquals(expected, Metrics.trustworthiness(x, y, k, 2), dims + " dims");
            assertEquals(expected, Metrics.trustworthiness(x, y, k, 1), dims + " dims");
            assertTrue(expected < 1, "the test must have some intrusions: " + expected);
        }
    }

    /** Trustworthiness of 600-dimensional rows (the vector loops) against the definition with the scalar distance. */
    @Test
    void trustworthinessOfWideRowsMatchesTheDefinition() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 60;
        int dims = 600;
        float[][] x = new float[n][dims];
        float[][] y = new float[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dims; j++) {
                x[i][j] = (float) random.nextGaussian() + (j < 2 ? 4 * (i % 3) : 0);
            }
            y[i][0] = x[i][0] + (float) random.nextGaussian();
            y[i][1] = x[i][1] + (float) random.nextGaussian();
        }
        int k = 5;
        float[] data = TSne.flatten(x);
        double expected = definition(x, y, k, (a, b) -> VpTree.squaredDistance(data, dims, a, b));
        assertEquals(expected, Metrics.trustworthiness(x, y, k, 2), 1e-12);
        assertTrue(expected < 1, "the test must have some intrusions: " + expected);
    }

    /** A squared distance between input rows a and b. */
    private interface Distance {
        double between(int a, int b);
    }

    /**
     * Trustworthiness by its definition: each point's embedding and input neighbours by sorting all points,
     * ranks by position. The sorts are stable, so equal distances stay in index order (the tie rule).
     */
    private static double definition(float[][] x, float[][] y, int k, Distance input) {
        int n = x.length;
        double penalty = 0;
        for (int i = 0; i < n; i++) {
            Integer[] byEmbedding = new Integer[n];
            Integer[] byInput = new Integer[n];
            for (int j = 0; j < n; j++) {
                byEmbedding[j] = j;
                byInput[j] = j;
            }
            int query = i;
            java.util.Arrays.sort(byEmbedding, java.util.Comparator.comparingDouble(
                    (Integer j) -> j == query ? Double.NEGATIVE_INFINITY : distance2(y[query], y[j])));
            java.util.Arrays.sort(byInput, java.util.Comparator.comparingDouble(
                    (Integer j) -> j == query ? Double.NEGATIVE_INFINITY : input.between(query, j)));
            for (int p = 1; p <= k; p++) {
                int rank = java.util.Arrays.asList(byInput).indexOf(byEmbedding[p]);     // 1 = nearest other point
                penalty += Math.max(0, rank - k);
            }
        }
        return 1 - 2.0 / ((double) n * k * (2.0 * n - 3.0 * k - 1)) * penalty;
    }

    private static double distance2(float[] a, float[] b) {
        double dx = a[0] - b[0];
        double dy = a[1] - b[1];
        return dx * dx + dy * dy;
    }

    @Test
    void dotProductsTilesAndUpdatesAgreeWithPlainLoops() {
        SplittableRandom random = new SplittableRandom(9);
        int length = 1003;                               // a tail after the vector steps
        double[][] rows = new double[6][length];
        for (double[] row : rows) {
            for (int j = 0; j < length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[] tile = new double[16];
        VectorWideRows.dotTile(rows, 1, 2, length, tile);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                double expected = plainDot(rows[1 + r], rows[2 + c]);
                assertEquals(expected, tile[4 * r + c], 1e-12 * length, "tile " + r + ", " + c);
                assertEquals(expected, VectorWideRows.dot(rows[1 + r], rows[2 + c], length), 1e-12 * length);
            }
        }
        double[] y = rows[5].clone();
        VectorWideRows.addScaled(0.5, rows[0], y, 10, 990);
        for (int j = 0; j < length; j++) {
            double expected = j >= 10 && j < 1000 ? rows[5][j] + 0.5 * rows[0][j] : rows[5][j];
            assertEquals(expected, y[j], 1e-15, "entry " + j);
        }
    }

    private static double plainDot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
