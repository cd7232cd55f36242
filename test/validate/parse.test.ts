// The validator's reader of rules.v4: everything outside the subset tierwall emits is a problem with
// the line and a reason (never a crash, never skipped), and the cached way of reading -A lines agrees
// with the reference way (splitWords + parseRule) on every line.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRestoreFile } from '../../src/validate/parse-file.js';
import { buildPolicy } from '../backends/iptables/build-ir.js';
import { NASTY } from '../backends/iptables/fixtures.js';
import { policySpecArb } from './arbitrary.js';
import { backendOutput } from './support.js';

/** A one-rule file around `rule` (chains X and Y declared), and its first problem's reason. */
function reasonFor(rule: string, decls = ':X - [0:0]\n:Y - [0:0]'): string | undefined {
  const { problems } = parseRestoreFile(`*filter\n${decls}\n${rule}\nCOMMIT\n`);
  return problems[0]?.reason;
}

describe('rules outside the subset', () => {
  it.each([
    ['-A X -s 10.0.0.0/24 -j ACCEPT', undefined],
    ['-A X ! -s 10.0.0.0/24 ! -o br+ -m conntrack ! --ctstate NEW -j Y', undefined],
    ['-A X -p udp -m multiport --dports 1,2,3:4 -m comment --comment "a b" -j DROP', undefined],
    ['-A X -m limit --limit 3/hour -j LOG', undefined],
    ['-A X -p tcp --sport 1 -j ACCEPT', "unknown option '--sport'"],
    ['-A X -p sctp -j ACCEPT', "protocol 'sctp' is outside the subset (tcp, udp, icmp)"],
    ['-A X ! -p tcp -j ACCEPT', "'!' before '-p', which the subset never negates"],
    ['-A X -j REJECT', "target 'REJECT' is neither ACCEPT, DROP, RETURN, LOG nor a chain declared before this line"],
    ['-A X -j Z', "target 'Z' is neither ACCEPT, DROP, RETURN, LOG nor a chain declared before this line"],
    ['-A X -g Y', "unknown option '-g'"],
    ['-A X -s 10.0.0.1/24 -j ACCEPT', "'10.0.0.1/24' has host bits set (iptables would read 10.0.0.0/24)"],
    ['-A X -s 10.0.0.0/33 -j ACCEPT', "'10.0.0.0/33' is not an IPv4 prefix: prefix length must be 0-32"],
    ['-A X -s example.com -j ACCEPT', "'example.com' is not an IPv4 address or prefix"],
    ['-A X -s 10.0.0.0/8 -s 10.0.0.0/8 -j ACCEPT', "'-s' given twice"],
    ['-A X --dport 80 -j ACCEPT', "'--dport' outside its match (-m tcp/udp)"],
    ['-A X -p udp -m tcp --dport 80 -j ACCEPT', "'-m tcp' without '-p tcp' before it"],
    ['-A X -p tcp --dport 90:80 -j ACCEPT', "port range '90:80' is reversed"],
    ['-A X -p tcp --dport :80 -j ACCEPT', "':80' is not a port or LO:HI port range"],
    ['-A X -p tcp --dport 65536 -j ACCEPT', "'65536' is not a port or LO:HI port range"],
    ['-A X -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16 -j ACCEPT', "--dports '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16' needs 16 slots; multiport holds 15"],
    ['-A X -m multiport --dports 80 -j ACCEPT', "'-m multiport' without '-p tcp' or '-p udp' before it"],
    ['-A X -p tcp -m multiport -j ACCEPT', "'-m multiport' without its option"],
    ['-A X -m conntrack --ctstate NEWISH -j ACCEPT', "'NEWISH' is not a conntrack state"],
    ['-A X -m limit --limit 10/min -j DROP', "'-m limit' on a DROP rule: the verdict would depend on the packet rate"],
    ['-A X -m recent --rcheck -j DROP', "unknown match '-m recent'"],
    ['-A X -m comment --comment x -m comment --comment y -j DROP', "match '-m comment' given twice"],
    ['-A X -j ACCEPT -s 10.0.0.0/8', "'-s' after the target: only LOG's --log-prefix may follow -j"],
    ['-A X -j LOG --log-prefix "012345678901234567890123456789"', 'log prefix longer than 29 characters'],
    ['-A X -j DROP --log-prefix "x"', "'--log-prefix' without '-j LOG' before it"],
    ['-A X -s 10.0.0.0/8', 'rule without a target (-j)'],
    ['-A X -s', "'-s' without a value"],
    ['-A X -i eth0/1 -j DROP', "'eth0/1' is not an interface name"],
    ['-A X -constructor 1 -j DROP', "unknown option '-constructor'"],
    ['-A X -m constructor -j DROP', "unknown match '-m constructor'"],
    ['-A X -j ACCEPT !', "'!' at the end"],
    ['-A Z -j ACCEPT', "appends to 'Z', a chain this file does not declare"],
    ['-I X 1 -j ACCEPT', "'-I' is outside the subset: the file only appends (-A) to its own chains"],
    ['-A X -m comment --comment "a\\"b" -j ACCEPT', undefined],
    ['-A X -m comment --comment "a"b -j ACCEPT', 'a quoted argument must be followed by a space'],
    ['-A X -m comment --comment a"b -j ACCEPT', 'a quote inside an unquoted argument'],
  ])('%s', (rule, reason) => {
    expect(reasonFor(rule)).toBe(reason);
  });
});

describe('file structure', () => {
  it.each([
    ['*nat\nCOMMIT\n', "table 'nat' is outside the subset (only *filter)"],
    [':X - [0:0]\n', 'expected *filter first'],
    ['*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n', 'declares the built-in chain FORWARD'],
    ['*filter\n:DOCKER-USER - [0:0]\nCOMMIT\n', "declares Docker's chain DOCKER-USER: loading the file would flush it"],
    ['*filter\n:X ACCEPT [0:0]\nCOMMIT\n', "chain policy 'ACCEPT': own chains have the policy '-'"],
    ['*filter\n:X - [0:0]\n:X - [0:0]\nCOMMIT\n', 'chain X is declared twice'],
    ['*filter\n:THIS-CHAIN-NAME-IS-MUCH-TOO-LONG - [0:0]\nCOMMIT\n', "'THIS-CHAIN-NAME-IS-MUCH-TOO-LONG' is not a chain name of the subset (1-28 of [A-Za-z0-9_.-])"],
    ['*filter\nCOMMIT\nCOMMIT\n', 'text after COMMIT'],
    ['*filter\n', 'the table is not committed (no COMMIT)'],
    ['', 'no *filter table'],
    ['*filter\n-A X -j Y\n:X - [0:0]\n:Y - [0:0]\nCOMMIT\n', "appends to 'X', a chain this file does not declare"],
    ['*filter\n:X - [0:0]\n-A X -j Y\n:Y - [0:0]\nCOMMIT\n', "target 'Y' is neither ACCEPT, DROP, RETURN, LOG nor a chain declared before this line"],
    ['*filter\n:X - [0:0]\n:Y - [0:0]\n-A X -j Y\n-A Y -j X\nCOMMIT\n', 'jump to X closes a loop of chains'],
  ])('%j', (text, reason) => {
    expect(parseRestoreFile(text).problems[0]?.reason).toBe(reason);
  });

  it('chains nested deeper than the walker goes are a problem, not a stack overflow', () => {
    const n = 70;
    const decls = Array.from({ length: n }, (_, i) => `:C${i} - [0:0]`).join('\n');
    const jumps = Array.from({ length: n - 1 }, (_, i) => `-A C${i} -j C${i + 1}`).join('\n');
    const { problems } = parseRestoreFile(`*filter\n${decls}\n${jumps}\nCOMMIT\n`);
    expect(problems.map((p) => p.reason)).toEqual(['chains nest deeper than 64 from C5']);
  });

  it('reports every problem of a file with its line, in line order', () => {
    const { problems } = parseRestoreFile('*filter\n:X - [0:0]\n-A X -j NOPE\n# fine\n-A X --bogus\nCOMMIT\n');
    expect(problems.map((p) => [p.line, p.text])).toEqual([[3, '-A X -j NOPE'], [5, '-A X --bogus']]);
  });
});

describe('what a rule reads as', () => {
  const chainOf = (text: string, name: string) => parseRestoreFile(text).ruleset.chains.get(name)!;

  it('every match of a backend line, with the rule number and line', () => {
    const text = '*filter\n:X - [0:0]\n:Y - [0:0]\n-A X -j RETURN\n'
      + '-A X ! -s 10.1.0.0/16 -d 10.2.3.4 -i br0 ! -o tw+ -p udp -m multiport --dports 53,5353,10:20 -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment --comment "c d" -j Y\n'
      + '-A Y -p tcp -m tcp --dport 80 -m limit --limit 10/min --limit-burst 20 -j LOG --log-prefix "tw:x:L1 "\nCOMMIT\n';
    const [, rule] = chainOf(text, 'X').rules;
    expect(rule).toMatchObject({
      chain: 'X', num: 2, line: 5,
      src: { base: 0x0a010000, prefix: 16, neg: true },
      dst: { base: 0x0a020304, prefix: 32, neg: false },
      inIface: { name: 'br0', wildcard: false, neg: false },
      outIface: { name: 'tw', wildcard: true, neg: true },
      proto: 'udp',
      ports: [{ lo: 10, hi: 20 }, { lo: 53, hi: 53 }, { lo: 5353, hi: 5353 }],
      states: 1, // NEW only: everything but RELATED and ESTABLISHED, as far as the probes go
      target: { kind: 'jump', chain: 'Y', to: chainOf(text, 'Y') },
    });
    expect(Object.keys(rule!).sort()).toEqual(['chain', 'dst', 'inIface', 'line', 'num', 'origDir', 'outIface', 'ports', 'proto', 'src', 'states', 'target']);
    expect(rule!.origDir).toBe(false);
    expect(chainOf(text, 'Y').rules[0]).toMatchObject({ proto: 'tcp', ports: [{ lo: 80, hi: 80 }], target: { kind: 'LOG', prefix: 'tw:x:L1 ' } });
  });

  it('the whole backend output of random policies without a problem', () => {
    fc.assert(fc.property(policySpecArb, (spec) => {
      expect(parseRestoreFile(backendOutput(buildPolicy(spec)).text).problems).toEqual([]);
    }), { numRuns: 100 });
  });

  it('tabs and repeated spaces as separators', () => {
    const { text } = backendOutput(buildPolicy(NASTY));
    const spaced = text.replace(/^(-A \S+) (-s \S+) /gm, '$1\t$2  ');
    expect(spaced).not.toBe(text);
    const a = parseRestoreFile(text);
    const b = parseRestoreFile(spaced);
    expect(b.problems).toEqual([]);
    expect([...b.ruleset.chains.values()]).toEqual([...a.ruleset.chains.values()]);
  });
});
