import Testing

@testable import FurrowAgronomy

@Suite("Vegetation indices")
struct VegetationIndexTests {
    let sample = Reflectance(green: 0.08, red: 0.1, redEdge: 0.25, nir: 0.5)

    @Test("the published formulas, worked by hand")
    func formulas() throws {
        // NDVI (0.5 − 0.1)/(0.5 + 0.1); NDRE (0.5 − 0.25)/0.75; GNDVI 0.42/0.58; SAVI 1.5·0.4/1.1; OSAVI 0.4/0.76; CIre 0.5/0.25 − 1.
        let expected: [VegetationIndex: Double] = [
            .ndvi: 0.4 / 0.6, .ndre: 0.25 / 0.75, .gndvi: 0.42 / 0.58, .savi: 0.6 / 1.1, .osavi: 0.4 / 0.76, .ciRedEdge: 1.0,
        ]
        for (index, value) in expected {
            let got = try #require(index.value(sample))
            #expect(abs(got - value) < 1e-15, "\(index)")
        }
    }

    @Test("a missing band or a zero denominator gives no value")
    func undefined() {
        #expect(VegetationIndex.ndre.value(Reflectance(red: 0.1, nir: 0.5)) == nil)
        #expect(VegetationIndex.ndvi.value(Reflectance(red: 0, nir: 0)) == nil)
        #expect(VegetationIndex.ciRedEdge.value(Reflectance(redEdge: 0, nir: 0.4)) == nil)
    }

    @Test("least squares: an exact line, a noisy one, and too few points")
    func linearFit() throws {
        let exact = try #require(LinearFit(x: [0, 1, 2, 3], y: [1, 3, 5, 7]))
        #expect(exact.slope == 2 && exact.intercept == 1 && exact.rSquared == 1 && exact.rootMeanSquareError == 0)
        // y = 1, 2, 2, 4 on x = 0…3: slope 0.9, intercept 2.25 − 0.9·1.5 = 0.9, SSE 0.7, SST 4.75.
        let noisy = try #require(LinearFit(x: [0, 1, 2, 3], y: [1, 2, 2, 4]))
        #expect(abs(noisy.slope - 0.9) < 1e-12 && abs(noisy.intercept - 0.9) < 1e-12)
        #expect(abs(noisy.rSquared - (1 - 0.7 / 4.75)) < 1e-12)
        #expect(LinearFit(x: [1, 2], y: [3, 4]) == nil)
        #expect(LinearFit(x: [1, 1, 1], y: [3, 4, 5]) == nil)
    }
}
