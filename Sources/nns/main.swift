import NNSLanguage
import NNSREPL

print("nns \(NNSLanguage.version)")
