<?php
// bench/run: reads the country <select> of a partnerdesk page on stdin and prints a PHP file
// returning [code => English name] in the page's order, for the twins (opcache keeps it in shared
// memory, as the app keeps its list from iso-codes in each worker).
declare(strict_types=1);
preg_match_all('~<option value="([A-Z]{2})"(?: selected="selected")?>([^<]*)</option>~',
    stream_get_contents(STDIN), $m, PREG_SET_ORDER);
$list = [];
foreach ($m as [, $code, $name]) {
    $list[$code] = html_entity_decode($name, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}
if (count($list) < 200) {
    fwrite(STDERR, "countries.php: found only " . count($list) . " countries\n");
    exit(1);
}
echo "<?php\nreturn ", var_export($list, true), ";\n";
