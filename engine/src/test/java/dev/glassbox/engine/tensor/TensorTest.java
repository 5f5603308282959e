package dev.glassbox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void rowsFlattenEachExampleAndInvertMatrix() {
        Tensor images = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 2, 2);
        float[][] rows = Tensors.rows(images);
        assertArrayEquals(new float[] {1, 2, 3, 4}, rows[0]);
        assertArrayEquals(new float[] {5, 6, 7, 8}, rows[1]);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, Tensors.matrix(rows).data());
        rows[0][0] = 99;                                   // a copy: the tensor is unchanged
        assertEquals(1, images.data()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensors.rows(Tensors.vector(1, 2, 3)));
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void elementsAreRowMajor() {
        Tensor t = Tensors.arange(24).reshape(2, 3, 4);
        assertEquals(1 * 12 + 2 * 4 + 3, t.get(1, 2, 3));
        t.set(-1f, 0, 1, 0);
        assertEquals(-1f, t.data()[4]);
    }

    @Test
    void reshapeIsAViewAndInfersMinusOne() {
        Tensor t = Tensors.arange(6);
        Tensor v = t.reshape(-1, 3);
        assertArrayEquals(new int[] {2, 3}, v.shape());
        assertSame(t.data(), v.data());
        assertThrows(ShapeException.class, () -> t.reshape(4, -1));
    }

    @Test
    void broadcastingAddsARowToEveryRow() {
        // [[0,1,2],[3,4,5]] + [10,20,30] = [[10,21,32],[13,24,35]]
        Tensor m = Tensors.arange(6).reshape(2, 3);
        Tensor r = m.add(Tensors.vector(10f, 20f, 30f));
        assertArrayEquals(new float[] {10, 21, 32, 13, 24, 35}, r.data());
        // a column [2,1] against a row [1,3] gives [2,3]
        Tensor c = Tensors.vector(1f, 2f).reshape(2, 1).mul(Tensors.vector(1f, 10f, 100f).reshape(1, 3));
        assertArrayEquals(new float[] {1, 10, 100, 2, 20, 200}, c.data());
    }

    @Test
    void incompatibleShapesNameBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensors.zeros(2, 3).add(Tensors.zeros(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void reductionsOverAxes() {
        Tensor m = Tensors.arange(6).reshape(2, 3);       // [[0,1,2],[3,4,5]]
        assertArrayEquals(new float[] {3, 5, 7}, m.sum(false, 0).data());
        assertArrayEquals(new float[] {3, 12}, m.sum(false, 1).data());
        assertArrayEquals(new int[] {2, 1}, m.sum(true, -1).shape());
        assertEquals(15f, m.sum().item());
        assertArrayEquals(new float[] {1, 4}, m.mean(false, 1).data());
        assertArrayEquals(new float[] {2, 5}, m.max(1, false).data());
        assertArrayEquals(new float[] {1, 1, 1}, m.argmax(0).data());
    }

    @Test
    void argmaxPicksTheFirstOfTiedMaxima() {
        assertEquals(1f, Tensors.vector(0f, 7f, 7f, 1f).argmax(0).item());
    }

    @Test
    void transposeAndPermuteMoveElements() {
        Tensor m = Tensors.arange(6).reshape(2, 3);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, m.t().data());
        Tensor nchw = Tensors.arange(24).reshape(1, 2, 3, 4);
        Tensor nhwc = nchw.permute(0, 2, 3, 1);
        assertArrayEquals(new int[] {1, 3, 4, 2}, nhwc.shape());
        assertEquals(nchw.get(0, 1, 2, 3), nhwc.get(0, 2, 3, 1));
    }

    @Test
    void sliceAndConcatAreInverse() {
        Tensor m = Tensors.arange(12).reshape(3, 4);
        Tensor left = m.slice(1, 0, 1);
        Tensor right = m.slice(1, 1, 4);
        assertArrayEquals(new float[] {0, 4, 8}, left.data());
        assertArrayEquals(m.data(), Tensors.concat(1, left, right).data());
        assertThrows(IllegalArgumentException.class, () -> m.slice(0, 2, 5));
    }

    @Test
    void matmulOfSmallMatrices() {
        // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]
        Tensor a = Tensors.matrix(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Tensors.matrix(new float[][] {{5, 6}, {7, 8}});
        assertArrayEquals(new float[] {19, 22, 43, 50}, a.matmul(b).data());
        Tensor batched = Tensors.concat(0, a.reshape(1, 2, 2), b.reshape(1, 2, 2));
        Tensor out = batched.matmul(batched);       // [a·a, b·b]
        assertArrayEquals(new float[] {7, 10, 15, 22, 67, 78, 91, 106}, out.data());
        assertThrows(ShapeException.class, () -> a.matmul(Tensors.zeros(3, 2)));
    }

    @Test
    void seededRandomTensorsRepeat() {
        assertArrayEquals(Tensors.randn(new Random(5), 4, 4).data(), Tensors.randn(new Random(5), 4, 4).data());
        Tensor u = Tensors.uniform(new Random(1), -2f, 3f, 1000);
        for (float v : u.data()) {
            assertTrue(v >= -2f && v < 3f);
        }
    }

    @Test
    void printingShowsShapeAndElidesLongDimensions() {
        String s = Tensors.arange(100).toString();
        assertTrue(s.startsWith("Tensor[100]"), s);
        assertTrue(s.contains("..."), s);
        assertTrue(Tensors.arange(4).reshape(2, 2).toString().contains("[[0., 1.],\n [2., 3.]]"));
    }

    @Test
    void wrongDataLengthIsRejected() {
        assertThrows(ShapeException.class, () -> new Tensor(new float[5], 2, 3));
    }
}
