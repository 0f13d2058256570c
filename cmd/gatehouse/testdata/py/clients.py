"""Python clients nobody here wrote, against a Gatehouse endpoint: boto3 (sign-in, refresh, and
GetTokensFromRefreshToken on a client with refresh token rotation where boto3 knows it) and PyJWT (verifying the ID
token against Gatehouse's JWKS). Prints one JSON line. Driven by cmd/gatehouse/e2e_verifiers_test.go;
GH_PART selects "boto3" or "pyjwt" (they may live in different Python installations)."""
import json
import os
import sys

e = os.environ
out = {}
if e["GH_PART"] == "boto3":
    import boto3

    idp = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=e["GH_ENDPOINT"],
                       aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret")
    creds = {"USERNAME": e["GH_USER"], "PASSWORD": e["GH_PASS"]}
    auth = idp.initiate_auth(ClientId=e["GH_CLIENT"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters=creds)
    again = idp.initiate_auth(ClientId=e["GH_CLIENT"], AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": auth["AuthenticationResult"]["RefreshToken"]})
    out = {"version": boto3.__version__, "refreshed": "IdToken" in again["AuthenticationResult"],
           "idToken": again["AuthenticationResult"]["IdToken"],
           "canRotate": hasattr(idp, "get_tokens_from_refresh_token")}
    if out["canRotate"]:
        auth = idp.initiate_auth(ClientId=e["GH_ROTATING_CLIENT"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters=creds)
        first = auth["AuthenticationResult"]["RefreshToken"]
        got = idp.get_tokens_from_refresh_token(ClientId=e["GH_ROTATING_CLIENT"], RefreshToken=first)
        second = got["AuthenticationResult"].get("RefreshToken")
        out["rotated"] = bool(second) and second != first
        out["rotatedIdToken"] = got["AuthenticationResult"]["IdToken"]
else:
    import jwt

    client = jwt.PyJWKClient(e["GH_ENDPOINT"] + "/" + e["GH_POOL"] + "/.well-known/jwks.json")
    key = client.get_signing_key_from_jwt(e["GH_ID_TOKEN"])
    claims = jwt.decode(e["GH_ID_TOKEN"], key.key, algorithms=["RS256"], audience=e["GH_CLIENT"],
                        issuer=e["GH_ENDPOINT"] + "/" + e["GH_POOL"])
    out = {"sub": claims["sub"], "token_use": claims["token_use"]}
    try:
        jwt.decode(e["GH_ID_TOKEN"], key.key, algorithms=["RS256"], audience="another-client",
                   issuer=e["GH_ENDPOINT"] + "/" + e["GH_POOL"])
        out["wrongAudience"] = "accepted"
    except jwt.InvalidAudienceError:
        out["wrongAudience"] = "refused"
json.dump(out, sys.stdout)
print()
