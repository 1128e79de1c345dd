<?php
/**
 * The WikiSync extension's own tests, plain PHP (no PHPUnit on the machine): the marker scanner against the
 * service's results for the same pages (marker-cases.json, written by the C# MarkerParityTests), the guard's
 * decisions, the project-from-title default, the extension's manifest and messages, and php -l on every file.
 *
 *   php tests/mediawiki/run.php        last line: "N passed, N failed"; exit 1 when any failed
 */

declare( strict_types=1 );

$root = dirname( __DIR__, 2 );
$ext = "$root/src/mediawiki/WikiSync";
// The classes under test need nothing from MediaWiki.
foreach ( [ 'MarkerScanner', 'GeneratedSection', 'SectionScan', 'GuardDecision' ] as $class ) {
	require_once "$ext/includes/$class.php";
}

use MediaWiki\Extension\WikiSync\GuardDecision;
use MediaWiki\Extension\WikiSync\SectionScan;

$tests = [];
function test( string $name, callable $body ): void {
	$GLOBALS['tests'][$name] = $body;
}

final class Failure extends Exception {
}

function check( bool $condition, string $message ): void {
	if ( !$condition ) {
		throw new Failure( $message );
	}
}

function same( $expected, $actual, string $what ): void {
	check( $expected === $actual, "$what: expected " . json_encode( $expected, JSON_UNESCAPED_UNICODE ) .
		', got ' . json_encode( $actual, JSON_UNESCAPED_UNICODE ) );
}

function block( string $name, string $text ): string {
	return "<!-- wikisync:begin $name -->\n$text\n<!-- wikisync:end $name -->";
}

// ---- the scanner sees what the service sees

$cases = json_decode( (string)file_get_contents( __DIR__ . '/marker-cases.json' ), true, 512, JSON_THROW_ON_ERROR );
foreach ( $cases as $case ) {
	test( "scan: {$case['case']} reads as the service reads it", static function () use ( $case ) {
		$scan = SectionScan::of( $case['page'] );
		$sections = array_map( static fn ( $s ) => [ 'name' => $s->name, 'line' => $s->line, 'content' => $s->content( $case['page'] ) ],
			$scan->sections );
		same( $case['sections'], $sections, 'sections' );
		$problems = $scan->problems;
		usort( $problems, static fn ( $a, $b ) => [ $a['line'], $a['name'] ?? '', $a['reason'] ] <=> [ $b['line'], $b['name'] ?? '', $b['reason'] ] );
		same( $case['problems'], $problems, 'problems' );
	} );
}

test( 'scan: the file holds the splicer table and the extra edges', static function () use ( $cases ) {
	check( count( $cases ) >= 40, 'marker-cases.json has only ' . count( $cases ) . ' cases' );
} );

test( 'scan: pages built to make a scanner quadratic are read in one pass', static function () {
	$pages = [
		str_repeat( '<nowiki>', 20000 ),
		'<!-- wikisync:begin a' . str_repeat( '<', 100000 ),
		str_repeat( '<pre ', 20000 ),
		str_repeat( '</nowiki', 20000 ),
		str_repeat( '<!---->', 20000 ),
		str_repeat( '<nowiki></nowik', 10000 ),
	];
	foreach ( $pages as $page ) {
		$scan = SectionScan::of( $page );
		check( $scan->sections === [], 'no section in a pathological page' );
	}
} );

// ---- the guard

$page = "Intro by a person.\n\n" . block( 'instances', "{|\n| vm-1\n|}" ) . "\n" . block( 'members', '* alice' ) . "\nOutro.";

test( 'guard: a change outside every section is not warned', static function () use ( $page ) {
	$decision = GuardDecision::of( $page, str_replace( 'Intro by a person.', 'Intro, reworded.', $page ) );
	check( !$decision->needsWarning(), 'warned about a hand-written paragraph' );
} );

test( 'guard: the same text is not warned', static function () use ( $page ) {
	check( !GuardDecision::of( $page, $page )->needsWarning(), 'warned about a null edit' );
} );

test( 'guard: a change inside a section names that section', static function () use ( $page ) {
	$decision = GuardDecision::of( $page, str_replace( 'vm-1', 'vm-2', $page ) );
	check( $decision->needsWarning(), 'not warned' );
	same( [ 'instances' ], $decision->changed, 'changed' );
	same( [], $decision->broken, 'broken' );
} );

test( 'guard: one changed byte inside a section is a change (trailing space)', static function () use ( $page ) {
	same( [ 'members' ], GuardDecision::of( $page, str_replace( '* alice', '* alice ', $page ) )->changed, 'changed' );
} );

test( 'guard: a removed section is a change', static function () use ( $page ) {
	$without = str_replace( "\n" . block( 'members', '* alice' ), '', $page );
	same( [ 'members' ], GuardDecision::of( $page, $without )->changed, 'changed' );
} );

test( 'guard: re-spaced markers around the same text are no change', static function () use ( $page ) {
	$respaced = str_replace( '<!-- wikisync:end members -->', '<!--wikisync:end   members-->', $page );
	check( !GuardDecision::of( $page, $respaced )->needsWarning(), 'warned about marker spacing' );
} );

test( 'guard: a new marker pair added by hand is the editor\'s own', static function () use ( $page ) {
	check( !GuardDecision::of( $page, $page . "\n" . block( 'sal', '' ) )->needsWarning(), 'warned about a new section' );
} );

test( 'guard: a broken end marker is warned with its line', static function () use ( $page ) {
	$broken = str_replace( '<!-- wikisync:end members -->', '<!-- wikisync:end member -->', $page );
	$decision = GuardDecision::of( $page, $broken );
	check( $decision->needsWarning(), 'not warned' );
	check( $decision->broken !== [], 'no problem listed' );
	same( 8, $decision->broken[0]['line'], 'line of the first problem' );
} );

test( 'guard: a misspelt keyword is a broken marker', static function () use ( $page ) {
	$broken = str_replace( 'wikisync:begin members', 'wikisync:begn members', $page );
	check( GuardDecision::of( $page, $broken )->broken !== [], 'not broken' );
} );

test( 'guard: a page already broken is not blamed on the editor', static function () use ( $page ) {
	$broken = str_replace( '<!-- wikisync:end members -->', '', $page );
	$decision = GuardDecision::of( $broken, $broken . "\nMore text." );
	check( !$decision->needsWarning(), 'warned about markers broken before this edit' );
} );

test( 'guard: a marker swallowed by an unclosed <nowiki> is a broken marker', static function () use ( $page ) {
	$swallowed = str_replace( '* alice', "* alice <nowiki>\n", $page ) . '</nowiki>';
	$decision = GuardDecision::of( $page, $swallowed );
	check( $decision->needsWarning(), 'not warned' );
} );

test( 'guard: the warning key is the same for the same change and differs for another', static function () use ( $page ) {
	$one = GuardDecision::of( $page, str_replace( 'vm-1', 'vm-2', $page ) );
	$again = GuardDecision::of( $page, str_replace( 'vm-1', 'vm-3', $page ) );
	$other = GuardDecision::of( $page, str_replace( 'alice', 'bob', $page ) );
	same( $one->key(), $again->key(), 'key of the same section' );
	check( $one->key() !== $other->key(), 'another section must be warned again' );
} );

// ---- the manifest, the settings and the messages

$manifest = json_decode( (string)file_get_contents( "$ext/extension.json" ), true, 512, JSON_THROW_ON_ERROR );

test( 'manifest: requires MediaWiki 1.39 and is manifest version 2', static function () use ( $manifest ) {
	same( 2, $manifest['manifest_version'], 'manifest_version' );
	same( '>= 1.39.0', $manifest['requires']['MediaWiki'], 'requires' );
} );

test( 'manifest: every class it names exists under includes/ by PSR-4', static function () use ( $manifest, $ext ) {
	$classes = [];
	foreach ( $manifest['HookHandlers'] as $handler ) {
		$classes[] = $handler['class'];
	}
	foreach ( [ 'Actions', 'SpecialPages' ] as $kind ) {
		foreach ( $manifest[$kind] as $spec ) {
			$classes[] = $spec['class'];
		}
	}
	$prefix = 'MediaWiki\\Extension\\WikiSync\\';
	same( 'includes/', $manifest['AutoloadNamespaces'][$prefix], 'namespace folder' );
	foreach ( $classes as $class ) {
		check( str_starts_with( $class, $prefix ), "$class is outside the extension's namespace" );
		$file = "$ext/includes/" . str_replace( '\\', '/', substr( $class, strlen( $prefix ) ) ) . '.php';
		check( is_file( $file ), "$class has no file $file" );
	}
} );

test( 'manifest: the refresh right goes to users and the token is not public', static function () use ( $manifest ) {
	check( in_array( 'wikisync-refresh', $manifest['AvailableRights'], true ), 'wikisync-refresh is not an available right' );
	same( true, $manifest['GroupPermissions']['user']['wikisync-refresh'] ?? null, 'user has wikisync-refresh' );
	same( false, $manifest['config']['WikiSyncToken']['public'] ?? null, 'WikiSyncToken public' );
	foreach ( [ 'WikiSyncServiceUrl', 'WikiSyncToken', 'WikiSyncSourceLinks', 'WikiSyncProjectTitlePattern' ] as $setting ) {
		check( isset( $manifest['config'][$setting] ), "setting $setting is missing" );
	}
} );

test( 'settings: the default project pattern reads Nova Resource pages and their subpages', static function () use ( $manifest ) {
	$pattern = $manifest['config']['WikiSyncProjectTitlePattern']['value'];
	$project = static fn ( string $title ) => preg_match( $pattern, $title, $m ) === 1 ? $m[1] : null;
	same( 'tools', $project( 'Nova Resource:tools' ), 'project page' );
	same( 'tools', $project( 'Nova Resource:tools/SAL' ), 'SAL page' );
	same( 'tools', $project( 'Nova Resource:tools/SAL/2026-12' ), 'SAL archive' );
	same( null, $project( 'Main Page' ), 'another page' );
	same( null, $project( 'Talk:Nova Resource:tools' ), 'a talk page' );
} );

$en = json_decode( (string)file_get_contents( "$ext/i18n/en.json" ), true, 512, JSON_THROW_ON_ERROR );
$qqq = json_decode( (string)file_get_contents( "$ext/i18n/qqq.json" ), true, 512, JSON_THROW_ON_ERROR );

test( 'messages: every English message is documented in qqq.json and the other way round', static function () use ( $en, $qqq ) {
	same( [], array_values( array_diff( array_keys( $en ), array_keys( $qqq ) ) ), 'undocumented' );
	same( [], array_values( array_diff( array_keys( $qqq ), array_keys( $en ) ) ), 'documented but missing' );
} );

test( 'messages: every message the code asks for exists', static function () use ( $en, $ext ) {
	$missing = [];
	$files = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( "$ext/includes", FilesystemIterator::SKIP_DOTS ) );
	foreach ( $files as $file ) {
		$code = (string)file_get_contents( (string)$file );
		// Keys passed to the message functions, and the message maps ('outcome' => 'key', 'key' => $value);
		// a key built from a prefix ('wikisync-status-column-' . $column) is checked through its columns.
		preg_match_all( '/(?:msg|wfMessage|newFatal|setSubmitTextMsg|addWikiMsg)\(\s*\'([a-z0-9-]*[a-z0-9])\'/', $code, $m );
		preg_match_all( '/\'(?!class\')[a-z-]+\'\s*=>\s*\'(wikisync-[a-z0-9-]+)\'/', $code, $n );
		preg_match_all( '/\'(wikisync-[a-z0-9-]+)\'\s*=>\s*\$/', $code, $o );
		preg_match_all( '/\[ ((?:\'[a-z-]+\',? )+)\]/', $code, $lists );
		$columns = [];
		foreach ( $lists[1] as $list ) {
			if ( str_contains( $code, "'wikisync-status-column-" ) ) {
				preg_match_all( '/\'([a-z_-]+)\'/', $list, $c );
				foreach ( $c[1] as $column ) {
					$columns[] = 'wikisync-status-column-' . str_replace( '_', '-', $column );
				}
			}
		}
		foreach ( array_merge( $m[1], $n[1], $o[1], $columns ) as $key ) {
			if ( !isset( $en[$key] ) ) {
				$missing[] = "$key (" . basename( (string)$file ) . ')';
			}
		}
	}
	same( [], array_values( array_unique( $missing ) ), 'messages used but not in en.json' );
} );

test( 'messages: the footer and the rights read as the issue says', static function () use ( $en ) {
	same( 'Generated by WikiSync from $1 · $2', $en['wikisync-footer-with-refresh'], 'footer' );
	same( 'Refresh', $en['wikisync-footer-refresh'], 'footer link' );
	check( isset( $en['right-wikisync-refresh'], $en['action-wikisync-refresh'] ), 'right messages' );
} );

test( 'lint: every PHP file of the extension and of these tests parses (php -l)', static function () use ( $ext ) {
	$files = [ __FILE__ ];
	foreach ( new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $ext, FilesystemIterator::SKIP_DOTS ) ) as $file ) {
		if ( str_ends_with( (string)$file, '.php' ) ) {
			$files[] = (string)$file;
		}
	}
	check( count( $files ) > 10, 'too few PHP files found' );
	foreach ( $files as $file ) {
		exec( escapeshellarg( PHP_BINARY ) . ' -l ' . escapeshellarg( $file ) . ' 2>&1', $output, $code );
		check( $code === 0, "php -l $file: " . implode( ' ', $output ) );
	}
} );

// ---- run

$passed = 0;
$failed = 0;
foreach ( $tests as $name => $body ) {
	try {
		$body();
		$passed++;
	} catch ( Throwable $e ) {
		$failed++;
		fwrite( STDERR, "FAIL $name\n    " . $e->getMessage() . "\n" );
	}
}
echo "$passed passed, $failed failed\n";
exit( $failed === 0 ? 0 : 1 );
