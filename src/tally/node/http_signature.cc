#include "tally/node/http_signature.h"

#include <algorithm>

#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"

namespace tally::node {
namespace {

constexpr std::string_view kLabel = "tally";
const std::vector<std::string> kComponents = {"@method", "@path", "content-digest"};

Status Bad(std::string_view what) {
  return PermissionDenied("unauthenticated: " + std::string(what));
}

bool IsNonceChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// A quoted sf-string without escapes (tally never needs them): returns its content.
Result<std::string> QuotedString(std::string_view s, size_t& pos, std::string_view what) {
  if (pos >= s.size() || s[pos] != '"') {
    return InvalidArgument("Signature-Input: " + std::string(what) + ": expected a quoted string");
  }
  const size_t end = s.find('"', pos + 1);
  if (end == std::string_view::npos) {
    return InvalidArgument("Signature-Input: " + std::string(what) + ": unterminated string");
  }
  std::string out(s.substr(pos + 1, end - pos - 1));
  for (char c : out) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      return InvalidArgument("Signature-Input: " + std::string(what) +
                             ": only printable ASCII without escapes");
    }
  }
  pos = end + 1;
  return out;
}

std::string SignatureBase(std::string_view method, std::string_view path, std::string_view digest,
                          std::string_view params) {
  std::string base;
  base += "\"@method\": " + std::string(method) + "\n";
  base += "\"@path\": " + std::string(path) + "\n";
  base += "\"content-digest\": " + std::string(digest) + "\n";
  base += "\"@signature-params\": " + std::string(params);
  return base;
}

std::string ParamsText(const SignatureParams& p) {
  std::string out = "(";
  for (size_t i = 0; i < p.components.size(); ++i) {
    out += (i ? " \"" : "\"") + p.components[i] + "\"";
  }
  out += ");created=" + std::to_string(p.created) + ";nonce=\"" + p.nonce + "\";keyid=\"" +
         p.keyid + "\";alg=\"" + p.alg + "\"";
  return out;
}

}  // namespace

Result<SignatureParams> ParseSignatureInput(std::string_view h) {
  SignatureParams p;
  const std::string label = std::string(kLabel) + "=(";
  if (!h.starts_with(label)) {
    return InvalidArgument("Signature-Input: expected the label tally=(...)");
  }
  size_t pos = label.size();
  while (pos < h.size() && h[pos] != ')') {
    if (!p.components.empty()) {
      if (h[pos] != ' ') return InvalidArgument("Signature-Input: components: expected a space");
      ++pos;
    }
    TALLY_ASSIGN_OR_RETURN(std::string c, QuotedString(h, pos, "component"));
    p.components.push_back(std::move(c));
    if (p.components.size() > 16) return InvalidArgument("Signature-Input: too many components");
  }
  if (pos >= h.size()) return InvalidArgument("Signature-Input: unterminated component list");
  ++pos;
  bool have_created = false;
  while (pos < h.size()) {
    if (h[pos] != ';') return InvalidArgument("Signature-Input: expected ';' before a parameter");
    ++pos;
    const size_t eq = h.find('=', pos);
    if (eq == std::string_view::npos)
      return InvalidArgument("Signature-Input: parameter without '='");
    const std::string_view name = h.substr(pos, eq - pos);
    pos = eq + 1;
    if (name == "created") {
      size_t end = pos;
      int64_t v = 0;
      while (end < h.size() && h[end] >= '0' && h[end] <= '9' && end - pos < 15) {
        v = v * 10 + (h[end] - '0');
        ++end;
      }
      if (end == pos || (end < h.size() && h[end] != ';')) {
        return InvalidArgument("Signature-Input: created: expected an integer");
      }
      if (have_created) return InvalidArgument("Signature-Input: created given twice");
      p.created = v;
      have_created = true;
      pos = end;
    } else if (name == "nonce" || name == "keyid" || name == "alg") {
      TALLY_ASSIGN_OR_RETURN(std::string v, QuotedString(h, pos, name));
      std::string& slot = name == "nonce" ? p.nonce : name == "keyid" ? p.keyid : p.alg;
      if (!slot.empty())
        return InvalidArgument("Signature-Input: " + std::string(name) + " given twice");
      slot = std::move(v);
    } else {
      return InvalidArgument("Signature-Input: unknown parameter \"" + std::string(name) + "\"");
    }
  }
  if (!have_created || p.nonce.empty() || p.keyid.empty()) {
    return InvalidArgument("Signature-Input: created, nonce and keyid are required");
  }
  return p;
}

std::string ContentDigest(std::string_view body) {
  const auto h = crypto::Sha256Of(body);
  return "sha-256=:" + crypto::Base64Encode(h) + ":";
}

void SignRequest(const tlog::NoteSigner& node_key, const std::string& party, int64_t now,
                 std::string_view method, std::string_view path, std::string_view body,
                 std::vector<server::HttpHeader>& headers, crypto::RandomSource& random) {
  uint8_t raw[18];
  random.Fill(raw);
  std::string nonce = crypto::Base64Encode(std::span<const uint8_t>(raw, sizeof raw));
  for (char& c : nonce) c = c == '+' ? '-' : c == '/' ? '_' : c;
  SignatureParams p{kComponents, now, nonce, party, "ed25519"};
  const std::string params = ParamsText(p);
  const std::string digest = ContentDigest(body);
  const auto sig = node_key.Sign(SignatureBase(method, path, digest, params));
  headers.push_back({"content-digest", digest});
  headers.push_back({"signature-input", std::string(kLabel) + "=" + params});
  headers.push_back({"signature", std::string(kLabel) + "=:" + crypto::Base64Encode(sig) + ":"});
}

bool NonceCache::Admit(const std::string& keyid, const std::string& nonce, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (seen_.size() > 100000) std::erase_if(seen_, [now](const auto& e) { return e.second < now; });
  auto [it, fresh] = seen_.emplace(keyid + "\n" + nonce, now + 2 * kSignatureWindowSeconds);
  if (!fresh && it->second >= now) return false;
  it->second = now + 2 * kSignatureWindowSeconds;
  return true;
}

Result<VerifiedSigner> VerifyRequest(const server::HttpRequest& request, const Trust& trust,
                                     int64_t now, int64_t not_before, NonceCache& nonces) {
  const std::string* input = request.Header("signature-input");
  const std::string* signature = request.Header("signature");
  const std::string* digest = request.Header("content-digest");
  if (!input || !signature || !digest) {
    return Bad("the request is not signed (Signature-Input, Signature and Content-Digest)");
  }
  auto params = ParseSignatureInput(*input);
  if (!params.ok()) return Bad(params.error().message());
  if (params->components != kComponents) {
    return Bad(
        "Signature-Input: the components must be (\"@method\" \"@path\" \"content-digest\")");
  }
  if (!params->alg.empty() && params->alg != "ed25519")
    return Bad("Signature-Input: alg must be ed25519");
  if (params->nonce.size() < 16 || params->nonce.size() > 64 ||
      !std::all_of(params->nonce.begin(), params->nonce.end(), IsNonceChar)) {
    return Bad("Signature-Input: nonce: expected 16-64 of [A-Za-z0-9_-]");
  }
  if (params->created > now + kSignatureWindowSeconds ||
      params->created < now - kSignatureWindowSeconds || params->created < not_before) {
    return Bad("Signature-Input: created " + std::to_string(params->created) +
               " is outside the accepted window");
  }
  const std::string prefix = std::string(kLabel) + "=:";
  if (!signature->starts_with(prefix) || !signature->ends_with(":") ||
      signature->size() < prefix.size() + 1) {
    return Bad("Signature: expected tally=:<base64>:");
  }
  auto sig = crypto::Base64Decode(
      std::string_view(*signature).substr(prefix.size(), signature->size() - prefix.size() - 1));
  if (!sig.ok() || sig->size() != 64) return Bad("Signature: expected 64 bytes of base64");
  if (*digest != ContentDigest(request.body)) {
    return Bad("Content-Digest does not match the body");
  }
  const tlog::NoteVerifier* key = trust.NodeKey(params->keyid);
  if (!key) return Bad("keyid \"" + params->keyid + "\" is not a party with a node key");
  const std::string base =
      SignatureBase(request.method, request.path, *digest, input->substr(kLabel.size() + 1));
  if (!key->Verify(base, *sig))
    return Bad("the signature does not verify under " + params->keyid + "'s node key");
  if (!nonces.Admit(params->keyid, params->nonce, now)) {
    return Bad("replayed request (nonce seen before)");
  }
  return VerifiedSigner{params->keyid};
}

}  // namespace tally::node
