// backends/iptables: the shape of a compiled ruleset, shared by rules.v4, install.sh, --verify
// and the translation validator. Built by iptables/model.ts; rendered by iptables/restore.ts.

/** One iptables chain owned by tierwall, with its rules as the arguments that follow `-A NAME`. */
export interface IptChain {
  readonly name: string;
  readonly rules: readonly string[];
}

export interface IptablesModel {
  /** The chain DOCKER-USER jumps to. */
  readonly mainChain: string;
  /** All chains tierwall owns, mainChain first; every one is declared in the restore file. */
  readonly chains: readonly IptChain[];
  /** The single rule tierwall inserts into DOCKER-USER (arguments after `-I DOCKER-USER 1`). */
  readonly entryRule: string;
}
