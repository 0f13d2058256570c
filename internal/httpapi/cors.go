package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

func isPreflight(req *http.Request) bool {
	return req.Method == http.MethodOptions && req.Header.Get("Origin") != "" &&
		req.Header.Get("Access-Control-Request-Method") != ""
}

// allowOrigin returns the Access-Control-Allow-Origin for origin, "" when it is not allowed.
func (c *CORS) allowOrigin(origin string) string {
	if origin == "" {
		return ""
	}
	for _, o := range c.AllowOrigins {
		if o == "*" {
			if c.AllowCredentials {
				return origin
			}
			return "*"
		}
		if strings.EqualFold(o, origin) {
			return origin
		}
	}
	return ""
}

// preflight answers an OPTIONS preflight as the API's CorsConfiguration says: 204 with the
// allowed origin, methods and headers, or 204 without CORS headers for an origin not allowed.
func (c *CORS) preflight(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	if o := c.allowOrigin(req.Header.Get("Origin")); o != "" {
		h.Set("Access-Control-Allow-Origin", o)
		methods := c.AllowMethods
		if slices.Contains(methods, "*") {
			methods = []string{req.Header.Get("Access-Control-Request-Method")}
		}
		h.Set("Access-Control-Allow-Methods", strings.Join(methods, ","))
		if len(c.AllowHeaders) > 0 {
			allowed := c.AllowHeaders
			if slices.Contains(allowed, "*") {
				if reqH := req.Header.Get("Access-Control-Request-Headers"); reqH != "" {
					allowed = []string{reqH}
				}
			}
			h.Set("Access-Control-Allow-Headers", strings.ToLower(strings.Join(allowed, ",")))
		}
		if c.AllowCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if c.MaxAge >= 0 {
			h.Set("Access-Control-Max-Age", strconv.Itoa(c.MaxAge))
		}
		if len(c.ExposeHeaders) > 0 {
			h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
		}
	}
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusNoContent)
}

// decorate adds the CORS headers of an actual request; c may be nil.
func (c *CORS) decorate(w http.ResponseWriter, req *http.Request) {
	if c == nil {
		return
	}
	o := c.allowOrigin(req.Header.Get("Origin"))
	if o == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", o)
	if o != "*" {
		h.Add("Vary", "Origin")
	}
	if c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	}
}
