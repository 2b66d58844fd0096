import LkInterface
import SwiftUI
import Vision
import VisionKit

/// The dial's photo and its text (R21): VisionKit's live text scanner where the phone supports
/// it, otherwise the camera's photo read by Vision's `VNRecognizeTextRequest`. The texts go to the
/// core's `recognise` (through the view model); the photo is attached to the reading.
struct DialCapture: View {
    let done: (_ photoPath: String, _ texts: [RecognisedText]) -> Void

    var body: some View {
        if DataScannerViewController.isSupported && DataScannerViewController.isAvailable {
            LiveDialScanner(done: done)
        } else {
            PhotoDialReader(done: done)
        }
    }
}

/// Writes a photo into the app's temporary folder; the core copies it into its store on submit.
func keepPhoto(_ image: UIImage) -> String? {
    guard let data = image.jpegData(compressionQuality: 0.8) else { return nil }
    let url = FileManager.default.temporaryDirectory.appending(path: "dial-\(UUID().uuidString).jpg")
    return (try? data.write(to: url)).map { url.path }
}

/// Vision on a still photo: every line it reads with its confidence.
func recogniseText(in image: UIImage) async -> [RecognisedText] {
    guard let cgImage = image.cgImage else { return [] }
    return await withCheckedContinuation { continuation in
        let request = VNRecognizeTextRequest { request, _ in
            let lines = (request.results as? [VNRecognizedTextObservation] ?? []).compactMap { $0.topCandidates(1).first }
            continuation.resume(returning: lines.map { RecognisedText(text: $0.string, confidence: $0.confidence) })
        }
        request.recognitionLevel = .accurate
        request.usesLanguageCorrection = false
        do {
            try VNImageRequestHandler(cgImage: cgImage).perform([request])
        } catch {
            continuation.resume(returning: [])
        }
    }
}

/// Live text: the person frames the dial and taps «Снять»; the frame is kept as the photo and the
/// text seen in it is what Vision reads off that frame.
struct LiveDialScanner: UIViewControllerRepresentable {
    let done: (String, [RecognisedText]) -> Void

    func makeUIViewController(context: Context) -> DataScannerViewController {
        let scanner = DataScannerViewController(
            recognizedDataTypes: [.text()], qualityLevel: .accurate,
            isHighlightingEnabled: true)
        let shoot = UIButton(
            configuration: .borderedProminent(),
            primaryAction: UIAction(title: "Снять") { _ in
                Task { @MainActor in
                    guard let photo = try? await scanner.capturePhoto(), let path = keepPhoto(photo) else { return }
                    done(path, await recogniseText(in: photo))
                }
            })
        shoot.translatesAutoresizingMaskIntoConstraints = false
        scanner.overlayContainerView.addSubview(shoot)
        NSLayoutConstraint.activate([
            shoot.centerXAnchor.constraint(equalTo: scanner.overlayContainerView.centerXAnchor),
            shoot.bottomAnchor.constraint(equalTo: scanner.overlayContainerView.safeAreaLayoutGuide.bottomAnchor, constant: -24),
        ])
        try? scanner.startScanning()
        return scanner
    }

    func updateUIViewController(_ scanner: DataScannerViewController, context: Context) {}
}

/// The camera's photo, read by Vision.
struct PhotoDialReader: UIViewControllerRepresentable {
    let done: (String, [RecognisedText]) -> Void

    func makeCoordinator() -> Coordinator { Coordinator(done: done) }

    func makeUIViewController(context: Context) -> UIImagePickerController {
        let picker = UIImagePickerController()
        picker.sourceType = UIImagePickerController.isSourceTypeAvailable(.camera) ? .camera : .photoLibrary
        picker.delegate = context.coordinator
        return picker
    }

    func updateUIViewController(_ picker: UIImagePickerController, context: Context) {}

    final class Coordinator: NSObject, UIImagePickerControllerDelegate, UINavigationControllerDelegate {
        let done: (String, [RecognisedText]) -> Void
        init(done: @escaping (String, [RecognisedText]) -> Void) { self.done = done }

        func imagePickerController(
            _ picker: UIImagePickerController, didFinishPickingMediaWithInfo info: [UIImagePickerController.InfoKey: Any]
        ) {
            guard let image = info[.originalImage] as? UIImage, let path = keepPhoto(image) else { return }
            Task { @MainActor in done(path, await recogniseText(in: image)) }
        }
    }
}
