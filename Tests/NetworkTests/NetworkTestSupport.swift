import Foundation
import CrossbarKit
import TestSupport

var fp: TileFactory { TileFactory.floatingPoint(seeds: SeedSet(master: 1)) }

/// Runs `layers` forward, returns the output as an array.
func runForward(_ layers: [any Layer], _ x: [Float], batch: Int, training: Bool = true) -> [Float] {
    var out: [Float] = []
    x.withUnsafeBufferPointer { xp in
        var p = FloatBuffer(xp.baseAddress!, count: xp.count)
        for l in layers { p = l.forward(p, batch: batch, training: training) }
        out = Array(p.array.prefix(batch * layers.last!.outputShape.count))
    }
    return out
}

/// Backpropagates `g` through all layers (input gradients everywhere); returns ∂L/∂x.
func runBackward(_ layers: [any Layer], _ g: [Float], batch: Int) -> [Float] {
    var out: [Float] = []
    g.withUnsafeBufferPointer { gp in
        var p = FloatBuffer(gp.baseAddress!, count: gp.count)
        for l in layers.reversed() { p = l.backward(p, batch: batch, computeInputGradient: true)! }
        out = Array(p.array.prefix(batch * layers[0].inputShape.count))
    }
    return out
}

/// Mean NLL loss of logits for labels (and its gradient).
func lossAndGradient(_ logits: [Float], labels: [Int32], classes: Int) -> (Float, [Float]) {
    let loss = LogSoftmaxNLLLoss(classCount: classes)
    let batch = labels.count
    let l = logits.withUnsafeBufferPointer { z in labels.withUnsafeBufferPointer { t in
        loss.evaluate(logits: FloatBuffer(z.baseAddress!, count: z.count), labels: t.baseAddress!, batch: batch) } }
    return (l, loss.gradient.array)
}

func randomArray(_ n: Int, seed: UInt64, lo: Float = -1, hi: Float = 1) -> [Float] {
    randomMatrix(rows: 1, cols: n, seed: seed, lo: lo, hi: hi).storage
}

/// Maximum of |a − b| / (atol + rtol·|b|): ≤ 1 means every element is within tolerance.
func worstRatio(_ a: [Float], _ b: [Double], rtol: Double, atol: Double) -> Double {
    precondition(a.count == b.count)
    var worst = 0.0
    for i in a.indices { worst = max(worst, abs(Double(a[i]) - b[i]) / (atol + rtol * abs(b[i]))) }
    return worst
}

/// Direct-loop reference convolution in Double (the definition, no im2col).
struct NaiveConv {
    let cin: Int, h: Int, w: Int, cout: Int, k: Int, stride: Int, pad: Int
    var oh: Int { (h + 2 * pad - k) / stride + 1 }
    var ow: Int { (w + 2 * pad - k) / stride + 1 }

    /// x at (b, c, y, x) or 0 in the padding.
    func pixel(_ x: [Float], _ b: Int, _ c: Int, _ iy: Int, _ ix: Int) -> Double {
        guard iy >= 0, iy < h, ix >= 0, ix < w else { return 0 }
        return Double(x[((b * cin + c) * h + iy) * w + ix])
    }

    func forward(_ x: [Float], weights wt: Matrix, bias: [Float], batch: Int) -> [Double] {
        var y = [Double](repeating: 0, count: batch * cout * oh * ow)
        for b in 0..<batch { for co in 0..<cout { for oy in 0..<oh { for ox in 0..<ow {
            var s = Double(bias[co])
            for c in 0..<cin { for ky in 0..<k { for kx in 0..<k {
                s += Double(wt[co, (c * k + ky) * k + kx]) * pixel(x, b, c, oy * stride - pad + ky, ox * stride - pad + kx)
            } } }
            y[((b * cout + co) * oh + oy) * ow + ox] = s
        } } } }
        return y
    }

    /// ∂L/∂x for output gradient g.
    func inputGradient(_ g: [Float], weights wt: Matrix, batch: Int) -> [Double] {
        var dx = [Double](repeating: 0, count: batch * cin * h * w)
        for b in 0..<batch { for co in 0..<cout { for oy in 0..<oh { for ox in 0..<ow {
            let go = Double(g[((b * cout + co) * oh + oy) * ow + ox])
            for c in 0..<cin { for ky in 0..<k { for kx in 0..<k {
                let iy = oy * stride - pad + ky, ix = ox * stride - pad + kx
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                dx[((b * cin + c) * h + iy) * w + ix] += go * Double(wt[co, (c * k + ky) * k + kx])
            } } }
        } } } }
        return dx
    }

    /// ∂L/∂W [cout × cin·k·k] and ∂L/∂b for output gradient g.
    func weightGradient(_ g: [Float], _ x: [Float], batch: Int) -> (weights: [Double], bias: [Double]) {
        var dw = [Double](repeating: 0, count: cout * cin * k * k)
        var db = [Double](repeating: 0, count: cout)
        for b in 0..<batch { for co in 0..<cout { for oy in 0..<oh { for ox in 0..<ow {
            let go = Double(g[((b * cout + co) * oh + oy) * ow + ox])
            db[co] += go
            for c in 0..<cin { for ky in 0..<k { for kx in 0..<k {
                dw[co * cin * k * k + (c * k + ky) * k + kx] += go * pixel(x, b, c, oy * stride - pad + ky, ox * stride - pad + kx)
            } } }
        } } } }
        return (dw, db)
    }
}
