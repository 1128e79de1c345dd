<?php

namespace MediaWiki\Extension\WikiSync;

/**
 * Whether a save touches what WikiSync generates: text between a section's markers that differs from the
 * page's current text, a section taken away, or markers broken that were whole before. Adding a new marker
 * pair, or editing anything outside the sections, is the editor's own business. A page whose markers were
 * already broken is the service's problem to report (it leaves such a page alone), not this editor's.
 */
final class GuardDecision {

	/**
	 * @param list<string> $changed sections whose text differs or that are gone, in the old page's order
	 * @param list<array{line: int, name: ?string, reason: string}> $broken the new text's marker problems
	 */
	private function __construct(
		public readonly array $changed,
		public readonly array $broken
	) {
	}

	public static function of( string $old, string $new ): self {
		$before = SectionScan::of( $old );
		$after = SectionScan::of( $new );
		$changed = [];
		foreach ( $before->sections as $section ) {
			$now = $after->find( $section->name );
			if ( $now === null || $now->content( $new ) !== $section->content( $old ) ) {
				$changed[] = $section->name;
			}
		}
		$broken = $before->problems === [] ? $after->problems : [];
		return new self( $changed, $broken );
	}

	public function needsWarning(): bool {
		return $this->changed !== [] || $this->broken !== [];
	}

	/**
	 * What the warning is about, stable across two saves of the same change: a second save that touches
	 * other sections (or breaks other markers) is warned again.
	 */
	public function key(): string {
		$names = array_map( static fn ( $p ) => $p['name'] ?? '', $this->broken );
		return implode( ',', $this->changed ) . '|' . implode( ',', $names );
	}
}
