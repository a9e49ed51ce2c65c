import Foundation

/// Small self-contained SVG charts for `kfsim report` (no script, no external file): lines over time,
/// a step CDF, and means with 95% intervals by category.
enum SVGChart {
    static let width = 800.0, height = 300.0
    static let left = 60.0, right = 180.0, top = 20.0, bottom = 40.0
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// One named series of (x, y) points; NaN values are gaps.
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    /// Lines (or steps) of several series over a shared x axis.
    static func lines(_ series: [Series], xLabel: String, yLabel: String, steps: Bool = false) -> String {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard !all.isEmpty else { return "<p class=\"empty\">no data</p>" }
        let (x0, x1) = range(all.map(\.x)), (y0, y1) = range(all.map(\.y) + [0])
        var body = axes(x0, x1, y0, y1, xLabel: xLabel, yLabel: yLabel)
        for (i, s) in series.enumerated() {
            var path = ""
            var pen = false
            var last: (x: Double, y: Double)?
            for p in s.points {
                guard p.x.isFinite, p.y.isFinite else { pen = false; continue }
                let (px, py) = (sx(p.x, x0, x1), sy(p.y, y0, y1))
                if steps, pen, let l = last { path += " L\(f(px)),\(f(sy(l.y, y0, y1)))" }
                path += (pen ? " L" : " M") + "\(f(px)),\(f(py))"
                pen = true
                last = p
            }
            body += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colors[i % colors.count])\" stroke-width=\"1.5\"/>"
        }
        return svg(body + legend(series.map(\.name)))
    }

    /// Means with 95% interval whiskers: one group of points per series, at category positions.
    static func intervals(categories: [String], series: [(name: String, values: [(mean: Double?, low: Double?, high: Double?)])],
                          xLabel: String, yLabel: String) -> String {
        let ys = series.flatMap { $0.values.flatMap { [$0.mean, $0.low, $0.high].compactMap { $0 } } }.filter(\.isFinite)
        guard !ys.isEmpty, !categories.isEmpty else { return "<p class=\"empty\">no data</p>" }
        let (y0, y1) = range(ys + [0])
        let x0 = -0.5, x1 = Double(categories.count) - 0.5
        var body = axes(x0, x1, y0, y1, xLabel: xLabel, yLabel: yLabel, categories: categories)
        for (i, s) in series.enumerated() {
            let c = colors[i % colors.count]
            let shift = (Double(i) - Double(series.count - 1) / 2) * 0.08
            for (k, v) in s.values.enumerated() {
                guard let m = v.mean, m.isFinite else { continue }
                let px = sx(Double(k) + shift, x0, x1)
                if let lo = v.low, let hi = v.high, lo.isFinite, hi.isFinite {
                    body += "<line x1=\"\(f(px))\" y1=\"\(f(sy(lo, y0, y1)))\" x2=\"\(f(px))\" y2=\"\(f(sy(hi, y0, y1)))\" stroke=\"\(c)\"/>"
                }
                body += "<circle cx=\"\(f(px))\" cy=\"\(f(sy(m, y0, y1)))\" r=\"3.5\" fill=\"\(c)\"/>"
            }
        }
        return svg(body + legend(series.map(\.name)))
    }

    static func range(_ values: [Double]) -> (Double, Double) {
        let lo = values.min()!, hi = values.max()!
        return hi > lo ? (lo, hi) : (lo - 1, hi + 1)
    }

    static func sx(_ x: Double, _ x0: Double, _ x1: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
    static func sy(_ y: Double, _ y0: Double, _ y1: Double) -> Double { height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom) }
    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func axes(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double, xLabel: String, yLabel: String,
                     categories: [String]? = nil) -> String {
        var s = "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#333\"/>"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#333\"/>"
        for k in 0...4 {
            let y = y0 + (y1 - y0) * Double(k) / 4
            s += "<text x=\"\(left - 6)\" y=\"\(f(sy(y, y0, y1) + 4))\" text-anchor=\"end\">\(escape(short(y)))</text>"
            s += "<line x1=\"\(left)\" y1=\"\(f(sy(y, y0, y1)))\" x2=\"\(width - right)\" y2=\"\(f(sy(y, y0, y1)))\" stroke=\"#eee\"/>"
        }
        if let categories {
            for (k, c) in categories.enumerated() {
                s += "<text x=\"\(f(sx(Double(k), x0, x1)))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(escape(c))</text>"
            }
        } else {
            for k in 0...4 {
                let x = x0 + (x1 - x0) * Double(k) / 4
                s += "<text x=\"\(f(sx(x, x0, x1)))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(escape(short(x)))</text>"
            }
        }
        s += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(height - 6)\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        s += "<text x=\"14\" y=\"\(f((top + height - bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f((top + height - bottom) / 2)))\">\(escape(yLabel))</text>"
        return s
    }

    static func legend(_ names: [String]) -> String {
        names.enumerated().map { i, n in
            "<rect x=\"\(width - right + 12)\" y=\"\(top + Double(i) * 14)\" width=\"10\" height=\"10\" fill=\"\(colors[i % colors.count])\"/>"
                + "<text x=\"\(width - right + 27)\" y=\"\(top + Double(i) * 14 + 9)\">\(escape(n))</text>"
        }.joined()
    }

    static func svg(_ body: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-size=\"11\" font-family=\"sans-serif\">\(body)</svg>"
    }

    static func short(_ v: Double) -> String {
        if abs(v) >= 1e5 || (abs(v) < 1e-2 && v != 0) { return String(format: "%.2g", v) }
        return v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
    }

    /// Text safe inside HTML and SVG.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
