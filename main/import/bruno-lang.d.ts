/** @usebruno/lang ships no types: the parts TokenDesk calls, as they return. */
declare module '@usebruno/lang' {
  interface BrunoOAuth2 {
    grantType?: string;
    accessTokenUrl?: string;
    authorizationUrl?: string;
    callbackUrl?: string;
    clientId?: string;
    clientSecret?: string;
    scope?: string;
    pkce?: boolean;
    credentialsPlacement?: string;
    username?: string;
    password?: string;
  }
  interface BrunoParsed {
    meta?: { name?: string };
    http?: { auth?: string };
    auth?: { mode?: string; oauth2?: BrunoOAuth2 };
    request?: { auth?: { mode?: string; oauth2?: BrunoOAuth2 } };
  }
  const lang: {
    bruToJsonV2(text: string): BrunoParsed;
    collectionBruToJson(text: string): BrunoParsed;
    bruToEnvJsonV2(text: string): { variables?: { name: string; value: string; enabled?: boolean; secret?: boolean }[] };
  };
  export default lang;
}
