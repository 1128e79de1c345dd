<?php

namespace MediaWiki\Extension\WikiSync;

/**
 * The generated sections of a page and its marker problems, paired exactly as the service pairs them
 * (SectionSplicer.Scan): sections never nest, a name counts once (a duplicate is a problem), every begin
 * needs its end. The service leaves a page with any problem untouched.
 */
final class SectionScan {

	/** @var list<GeneratedSection> in page order */
	public array $sections;

	/** @var list<array{line: int, name: ?string, reason: string}> sorted by line */
	public array $problems;

	/**
	 * @param list<GeneratedSection> $sections
	 * @param list<array{line: int, name: ?string, reason: string}> $problems
	 */
	private function __construct( array $sections, array $problems ) {
		$this->sections = $sections;
		$this->problems = $problems;
	}

	public static function of( string $page ): self {
		$raw = MarkerScanner::scan( $page );
		$lineOf = static function ( int $position ) use ( $page ): int {
			return substr_count( $page, "\n", 0, $position ) + 1;
		};
		$problems = [];
		foreach ( $raw['problems'] as $p ) {
			$problems[] = [ 'line' => $lineOf( $p['position'] ), 'name' => $p['name'], 'reason' => $p['reason'] ];
		}
		$sections = [];
		$done = [];
		$open = null;
		$markers = $raw['markers'];
		foreach ( $markers as $m => $marker ) {
			$line = $lineOf( $marker['start'] );
			$name = $marker['name'];
			if ( $marker['kind'] === 'begin' ) {
				if ( $open !== null ) {
					$problems[] = [ 'line' => $line, 'name' => $name, 'reason' => "begin marker inside section '{$open['name']}' " .
						"opened at line {$lineOf( $open['start'] )}: sections cannot nest" ];
					continue;
				}
				if ( isset( $done[$name] ) ) {
					$problems[] = [ 'line' => $line, 'name' => $name,
						'reason' => "duplicate section: it already appears at line {$done[$name]}" ];
				}
				$open = $marker;
				continue;
			}
			if ( $open === null ) {
				$laterBegin = null;
				for ( $k = $m + 1; $k < count( $markers ); $k++ ) {
					if ( $markers[$k]['kind'] === 'begin' && $markers[$k]['name'] === $name ) {
						$laterBegin = $markers[$k];
						break;
					}
				}
				$problems[] = [ 'line' => $line, 'name' => $name, 'reason' => $laterBegin !== null
					? "end marker comes before its begin marker (line {$lineOf( $laterBegin['start'] )})"
					: 'end marker without a begin marker' ];
				continue;
			}
			if ( $open['name'] !== $name ) {
				$problems[] = [ 'line' => $line, 'name' => $name, 'reason' => "end marker while section '{$open['name']}' " .
					"(opened at line {$lineOf( $open['start'] )}) is still open: sections cannot nest or overlap" ];
				continue;
			}
			$begin = $open;
			$open = null;
			if ( !isset( $done[$name] ) ) {
				$done[$name] = $lineOf( $begin['start'] );
				$sections[] = new GeneratedSection( $name, $done[$name], $begin['start'], $begin['end'],
					$marker['start'], $marker['end'] );
			}
		}
		if ( $open !== null ) {
			$problems[] = [ 'line' => $lineOf( $open['start'] ), 'name' => $open['name'],
				'reason' => 'begin marker without an end marker' ];
		}
		// Callers read problems by line; the order within one line carries no meaning.
		usort( $problems, static fn ( $a, $b ) => $a['line'] <=> $b['line'] );
		return new self( $sections, $problems );
	}

	/** @return list<string> the section names in page order */
	public function names(): array {
		return array_map( static fn ( GeneratedSection $s ) => $s->name, $this->sections );
	}

	public function find( string $name ): ?GeneratedSection {
		foreach ( $this->sections as $section ) {
			if ( $section->name === $name ) {
				return $section;
			}
		}
		return null;
	}
}
