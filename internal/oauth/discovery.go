package oauth

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// Discovery serves GET /{poolId}/.well-known/openid-configuration on the AWS endpoint (the
// issuer's host, where OpenID Connect clients look for it). It lists what exists: the issuer
// and its JWKS always; the OAuth endpoints only when the pool has a domain, at that domain's
// URL, as Cognito's document lists them (developer guide:
// cognito-userpools-server-contract-reference.html).
func (s *Server) Discovery() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		poolID := r.PathValue("poolId")
		info, err := s.pools.Pool(r.Context(), poolID)
		var ae *awsapi.Error
		if errors.As(err, &ae) {
			writeTokenJSON(w, http.StatusNotFound, map[string]string{"message": "User pool " + poolID + " does not exist."})
			return
		}
		if err != nil {
			s.writeTokenError(w, r, err)
			return
		}
		iss := s.issuerFor(info.ID)
		doc := map[string]any{
			"issuer":                                iss,
			"jwks_uri":                              iss + "/.well-known/jwks.json",
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"subject_types_supported":               []string{"public"},
			"response_types_supported":              []string{"code", "token"},
			"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		}
		domain, err := s.pools.PoolDomain(r.Context(), info.ID)
		if err != nil {
			s.writeTokenError(w, r, err)
			return
		}
		if domain != "" {
			base := domainURL(r, domain)
			doc["authorization_endpoint"] = base + "/oauth2/authorize"
			doc["token_endpoint"] = base + "/oauth2/token"
			doc["userinfo_endpoint"] = base + "/oauth2/userInfo"
			doc["revocation_endpoint"] = base + "/oauth2/revoke"
			doc["end_session_endpoint"] = base + "/logout"
			doc["code_challenge_methods_supported"] = []string{"S256", "plain"}
			doc["grant_types_supported"] = []string{"authorization_code", "implicit", "refresh_token", "client_credentials"}
		}
		b, _ := json.Marshal(doc)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
}

// domainURL is where a pool's domain answers, seen from a request to the AWS endpoint: on a
// loopback address {domain}.localhost with the same port (browsers resolve *.localhost to
// loopback); elsewhere {domain}.{host}, which a wildcard DNS name serves. A custom domain
// (with dots) is its own host.
func domainURL(r *http.Request, domain string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = r.Host, ""
	}
	if port != "" {
		port = ":" + port
	}
	for i := 0; i < len(domain); i++ {
		if domain[i] == '.' {
			return scheme + "://" + domain + port
		}
	}
	if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
		return scheme + "://" + domain + ".localhost" + port
	}
	return scheme + "://" + domain + "." + host + port
}
