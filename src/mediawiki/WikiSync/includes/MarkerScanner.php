<?php

namespace MediaWiki\Extension\WikiSync;

/**
 * The PHP twin of the service's marker scanner (src/WikiSync/Sections/MarkerScanner.cs): one left-to-right
 * pass that finds the wikisync markers the way MediaWiki's preprocessor finds comments. A comment runs from
 * "<!--" to the first "-->" (or to the end of the page when unclosed) and the content of the protected tags
 * below is opaque. Both sides must agree byte for byte on what is a marker, what is a broken one and what
 * lies between them, or the guard would warn about text the service never touches (or miss text it
 * rewrites). No regular expression walks the page, so no input can make it backtrack.
 *
 * Positions are byte offsets into the UTF-8 text; only ASCII decides anything, except that a tag name may
 * end with any white space character, as in the service (char.IsWhiteSpace).
 */
final class MarkerScanner {

	/** Tags whose content MediaWiki hands to a tag hook unparsed: the service's list, lower case. */
	private const PROTECTED_TAGS = [
		'nowiki', 'pre', 'gallery', 'indicator',
		'syntaxhighlight', 'source', 'math', 'chem', 'ce', 'ref', 'references', 'poem', 'categorytree',
		'imagemap', 'inputbox', 'templatedata', 'citation', 'score', 'timeline', 'hiero', 'graph',
		'mapframe', 'maplink',
	];

	private const PREFIX = 'wikisync:';

	private const ASCII_ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

	/** The white space a marker may hold around its keyword and name (the service trims exactly these). */
	private const MARKER_SPACE = " \t\r\n";

	/**
	 * @param string $page Wikitext
	 * @return array{markers: list<array{kind: string, name: string, start: int, end: int}>,
	 *   problems: list<array{position: int, name: ?string, reason: string}>,
	 *   unclosedCommentAt: int, unclosedTagAt: int}
	 *   kind is 'begin' or 'end'; [start, end) covers the whole "<!-- ... -->".
	 */
	public static function scan( string $page ): array {
		$markers = [];
		$problems = [];
		$noMoreClosing = [];
		$noMoreGt = false;
		$unclosedCommentAt = -1;
		$unclosedTagAt = -1;
		$length = strlen( $page );
		$i = 0;
		while ( $i < $length ) {
			$lt = strpos( $page, '<', $i );
			if ( $lt === false ) {
				break;
			}
			if ( substr_compare( $page, '<!--', $lt, 4 ) === 0 ) {
				$close = strpos( $page, '-->', $lt + 4 );
				$end = $close === false ? $length : $close + 3;
				if ( $close === false ) {
					$unclosedCommentAt = $lt;
				}
				$inner = substr( $page, $lt + 4, ( $close === false ? $length : $close ) - $lt - 4 );
				self::classifyComment( $inner, $lt, $end, $close === false, $markers, $problems );
				$i = $end;
				continue;
			}

			$nameStart = $lt + 1;
			$nameEnd = $nameStart;
			$nameEnd += strspn( $page, self::ASCII_ALNUM, $nameStart );
			if ( $nameEnd === $nameStart || $noMoreGt || !self::isTagNameEnd( $page, $nameEnd ) ) {
				$i = $lt + 1;
				continue;
			}
			$name = strtolower( substr( $page, $nameStart, $nameEnd - $nameStart ) );
			if ( !in_array( $name, self::PROTECTED_TAGS, true ) ) {
				$i = $lt + 1;
				continue;
			}

			$gt = strpos( $page, '>', $nameEnd );
			if ( $gt === false ) {
				// As MediaWiki: with no '>' left no later tag can be closed either.
				$noMoreGt = true;
				$i = $lt + 1;
				continue;
			}
			if ( $page[$gt - 1] === '/' ) {
				$i = $gt + 1;
				continue;
			}

			$closeEnd = isset( $noMoreClosing[$name] ) ? -1 : self::findClosingTag( $page, $name, $gt + 1 );
			if ( $closeEnd < 0 ) {
				// Unclosed: the opening tag is literal text and parsing resumes after it (MediaWiki does so).
				$noMoreClosing[$name] = true;
				if ( $unclosedTagAt < 0 ) {
					$unclosedTagAt = $lt;
				}
				$i = $gt + 1;
				continue;
			}
			$i = $closeEnd;
		}

		return [
			'markers' => $markers,
			'problems' => $problems,
			'unclosedCommentAt' => $unclosedCommentAt,
			'unclosedTagAt' => $unclosedTagAt,
		];
	}

	/** Whether a name fits [a-z0-9-]+. */
	public static function isValidName( string $name ): bool {
		return $name !== '' && strspn( $name, 'abcdefghijklmnopqrstuvwxyz0123456789-' ) === strlen( $name );
	}

	private static function isTagNameEnd( string $page, int $at ): bool {
		if ( $at >= strlen( $page ) ) {
			return false;
		}
		$c = $page[$at];
		return $c === '>' || self::whiteSpaceLength( $page, $at ) > 0
			|| ( $c === '/' && $at + 1 < strlen( $page ) && $page[$at + 1] === '>' );
	}

	/** The byte length of the white space character at $at (as .NET's char.IsWhiteSpace), or 0. */
	private static function whiteSpaceLength( string $page, int $at ): int {
		$c = ord( $page[$at] );
		if ( $c === 0x20 || ( $c >= 0x09 && $c <= 0x0D ) ) {
			return 1;
		}
		if ( $c < 0x80 ) {
			return 0;
		}
		return preg_match( '/\G[\x{85}\p{Z}]/u', $page, $m, 0, $at ) === 1 ? strlen( $m[0] ) : 0;
	}

	/** The offset just after "</name\s*>" (ASCII case-insensitive), or -1. */
	private static function findClosingTag( string $page, string $name, int $from ): int {
		$needle = '</' . $name;
		$length = strlen( $page );
		while ( $from < $length ) {
			$at = stripos( $page, $needle, $from );
			if ( $at === false ) {
				return -1;
			}
			$j = $at + strlen( $needle );
			while ( $j < $length && ( $w = self::whiteSpaceLength( $page, $j ) ) > 0 ) {
				$j += $w;
			}
			if ( $j < $length && $page[$j] === '>' ) {
				return $j + 1;
			}
			$from = $at + strlen( $needle );
		}
		return -1;
	}

	private static function classifyComment(
		string $inner, int $start, int $end, bool $unclosed, array &$markers, array &$problems
	): void {
		$text = trim( $inner, self::MARKER_SPACE );
		if ( strncasecmp( $text, self::PREFIX, strlen( self::PREFIX ) ) !== 0 ) {
			return;
		}
		if ( $unclosed ) {
			$problems[] = [ 'position' => $start, 'name' => null,
				'reason' => "marker comment is not closed with '-->' (the rest of the page would be a comment)" ];
			return;
		}
		$rest = substr( $text, strlen( self::PREFIX ) );
		$gap = strcspn( $rest, self::MARKER_SPACE );
		$keyword = substr( $rest, 0, $gap );
		$name = ltrim( substr( $rest, $gap ), self::MARKER_SPACE );
		if ( $keyword !== 'begin' && $keyword !== 'end' ) {
			$problems[] = [ 'position' => $start, 'name' => null,
				'reason' => "unknown marker 'wikisync:$keyword': expected wikisync:begin NAME or wikisync:end NAME" ];
			return;
		}
		if ( $name === '' ) {
			$problems[] = [ 'position' => $start, 'name' => null,
				'reason' => "wikisync:$keyword marker without a section name" ];
			return;
		}
		if ( !self::isValidName( $name ) ) {
			$problems[] = [ 'position' => $start, 'name' => $name,
				'reason' => "invalid section name '$name' in wikisync:$keyword marker: only a-z, 0-9 and '-' are allowed" ];
			return;
		}
		$markers[] = [ 'kind' => $keyword, 'name' => $name, 'start' => $start, 'end' => $end ];
	}
}
