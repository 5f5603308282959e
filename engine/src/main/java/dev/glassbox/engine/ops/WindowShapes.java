package dev.glassbox.engine.ops;

import dev.glassbox.engine.kernels.Window2D;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;

/**
 * Input checks of the sliding-window ops (convolution, pooling): each names the op, the expected and the actual
 * shapes, and returns the {@link Window2D} the kernels then run over.
 */
final class WindowShapes {
    private WindowShapes() {}

    /** Validates a convolution's input [N, C, H, W], weight [O, C/groups, kh, kw] and bias [O] (or null). */
    static Window2D conv(Conv2DOp.Options options, Tensor x, Tensor w, Tensor b) {
        int[] xs = x.shape(), ws = w.shape();
        if (ws.length != 4) {
            throw new ShapeException("Conv2D expects weight [out, in/groups, kh, kw] (PyTorch layout), but got shape "
                    + Shapes.toString(ws) + ". Hint: a Keras kernel [kh, kw, in, out] is w.permute(3, 2, 0, 1).", ws);
        }
        int channels = ws[1] * options.groups();
        if (xs.length != 4 || xs[1] != channels) {
            throw new ShapeException("Conv2D expects input [batch, channels, height, width] with channels=" + channels
                    + ", but got shape " + Shapes.toString(xs) + " (weight " + Shapes.toString(ws) + ", groups "
                    + options.groups() + ")." + (xs.length == 2 ? " Hint: reshape flat images with x.reshape("
                    + xs[0] + ", " + channels + ", height, width)." : ""), null, xs);
        }
        if (ws[0] % options.groups() != 0) {
            throw new ShapeException("Conv2D: " + ws[0] + " output channels do not split into " + options.groups()
                    + " groups", ws);
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != ws[0])) {
            throw new ShapeException("Conv2D expects bias [" + ws[0] + "], but got shape "
                    + Shapes.toString(b.shape()), new int[] {ws[0]}, b.shape());
        }
        Padding2D p = options.padding();
        Window2D win = p.window(xs[2], xs[3], ws[2], ws[3], options.strideH(), options.strideW(),
                options.dilationH(), options.dilationW());
        if (win.outH() < 1 || win.outW() < 1) {
            throw new ShapeException("Conv2D: input " + xs[2] + "x" + xs[3] + " with padding " + p
                    + " is smaller than the " + ws[2] + "x" + ws[3] + " kernel (dilation " + options.dilationH()
                    + "x" + options.dilationW() + ")", xs);
        }
        return win;
    }

    /**
     * Validates a pooling input [batch, channels, height, width] and returns its window. Each padding side must be
     * smaller than the kernel, so that every window holds at least one input position.
     */
    static Window2D pool(String op, int[] xs, int kernelH, int kernelW, int strideH, int strideW, Padding2D p) {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException(op + ": kernel and stride must be >= 1, got kernel " + kernelH + "x"
                    + kernelW + ", stride " + strideH + "x" + strideW);
        }
        if (p.top() >= kernelH || p.bottom() >= kernelH || p.left() >= kernelW || p.right() >= kernelW) {
            throw new IllegalArgumentException(op + ": padding " + p + " must be smaller than the " + kernelH
                    + "x" + kernelW + " kernel on every side");
        }
        if (xs.length != 4) {
            throw new ShapeException(op + " expects input [batch, channels, height, width], but got shape "
                    + Shapes.toString(xs), xs);
        }
        Window2D window = p.window(xs[2], xs[3], kernelH, kernelW, strideH, strideW, 1, 1);
        if (window.outH() < 1 || window.outW() < 1) {
            throw new ShapeException(op + ": input " + xs[2] + "x" + xs[3] + " with padding " + p
                    + " is smaller than the " + kernelH + "x" + kernelW + " window", xs);
        }
        return window;
    }
}
