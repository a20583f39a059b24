import { describe, expect, it } from 'vitest';
import { allowedExternalUrl, EXTERNAL_HOSTS } from '../../../electron/core/security/external-url';

describe('links the app may open in the OS browser', () => {
  it('allows https links to the DashScope consoles and docs of both regions', () => {
    for (const url of [
      'https://bailian.console.aliyun.com/?apiKey=1#/api-key',
      'https://dashscope.console.aliyun.com/apiKey',
      'https://help.aliyun.com/zh/model-studio/',
      'https://modelstudio.console.alibabacloud.com/?tab=playground#/api-key',
      'https://www.alibabacloud.com/help/en/model-studio/',
      'HTTPS://HELP.ALIYUN.COM/zh/',
    ]) {
      expect(allowedExternalUrl(url), url).not.toBeNull();
    }
    expect(allowedExternalUrl('HTTPS://HELP.ALIYUN.COM/zh/')).toBe('https://help.aliyun.com/zh/');
    expect(EXTERNAL_HOSTS.length).toBeGreaterThan(0);
  });

  it('refuses every other host, scheme, port, credentials and lookalike', () => {
    for (const url of [
      'https://evil.example/',
      'http://help.aliyun.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://restyle/index.html',
      'https://help.aliyun.com.evil.example/',
      'https://evil.help.aliyun.com/',
      'https://help.aliyun.com./',
      'https://aliyun.com/',
      'https://help.aliyun.com:8443/',
      'https://user:pw@help.aliyun.com/',
      'https://help.aliyun.com@evil.example/',
      'https://xn--hlp-aliyun-com.example/',
      'not a url',
      '',
    ]) {
      expect(allowedExternalUrl(url), url).toBeNull();
    }
  });
});
