<?php
/**
 * Aliases for the special pages of the WikiSync extension.
 *
 * @file
 */

$specialPageAliases = [];

/** English */
$specialPageAliases['en'] = [
	'WikiSync' => [ 'WikiSync' ],
];
