/* The words of dates as lists write them: month names in the languages reckon reads names in
 * (their date cases and abbreviations), Roman month numerals, and the filler words written
 * around dates, in one table, looked up folded with ICU so that case and diacritics do not
 * matter. date.c reads a value into pieces and calls this for its words. */
#include "date_private.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* One table: every word in its folded form (lowercase; no diacritics on Latin or Arabic
 * letters; dotless ı as i). Month 0: a filler word. tests/unit/ingest/date.c checks that
 * every word is found as written and that no word names two months. */
const date_word ingest_date_words[] = {
    /* English */
    {"january", 1, "en"},
    {"february", 2, "en"},
    {"march", 3, "en"},
    {"april", 4, "en de sr"},
    {"may", 5, "en az tr"},
    {"june", 6, "en"},
    {"july", 7, "en"},
    {"august", 8, "en de"},
    {"september", 9, "en de"},
    {"october", 10, "en"},
    {"november", 11, "en de"},
    {"december", 12, "en"},
    {"jan", 1, "en de fr sr sq"},
    {"feb", 2, "en de es sr"},
    {"mar", 3, "en de es sr"},
    {"apr", 4, "en de az sr"},
    {"jun", 6, "en de es sr"},
    {"jul", 7, "en de es sr"},
    {"aug", 8, "en de"},
    {"sep", 9, "en de es sr"},
    {"sept", 9, "en fr es de"},
    {"oct", 10, "en fr es"},
    {"nov", 11, "en fr es sr"},
    {"dec", 12, "en fr sr"},
    /* French */
    {"janvier", 1, "fr"},
    {"janv", 1, "fr"},
    {"fevrier", 2, "fr"},
    {"fevr", 2, "fr"},
    {"fev", 2, "fr az"},
    {"mars", 3, "fr sq"},
    {"avril", 4, "fr"},
    {"avr", 4, "fr"},
    {"mai", 5, "fr de"},
    {"juin", 6, "fr"},
    {"juillet", 7, "fr"},
    {"juil", 7, "fr"},
    {"aout", 8, "fr"},
    {"septembre", 9, "fr"},
    {"octobre", 10, "fr"},
    {"novembre", 11, "fr"},
    {"decembre", 12, "fr"},
    /* German */
    {"januar", 1, "de sr"},
    {"janner", 1, "de (Austria)"},
    {"jaenner", 1, "de (Austria)"},
    {"februar", 2, "de sr"},
    {"feber", 2, "de (Austria)"},
    {"marz", 3, "de"},
    {"maerz", 3, "de"},
    {"mrz", 3, "de"},
    {"juni", 6, "de"},
    {"juli", 7, "de"},
    {"oktober", 10, "de"},
    {"okt", 10, "de az sr"},
    {"dezember", 12, "de"},
    {"dez", 12, "de"},
    /* Spanish */
    {"enero", 1, "es"},
    {"ene", 1, "es"},
    {"febrero", 2, "es"},
    {"marzo", 3, "es"},
    {"abril", 4, "es"},
    {"abr", 4, "es"},
    {"mayo", 5, "es"},
    {"junio", 6, "es"},
    {"julio", 7, "es"},
    {"agosto", 8, "es"},
    {"ago", 8, "es"},
    {"septiembre", 9, "es"},
    {"setiembre", 9, "es"},
    {"set", 9, "es"},
    {"octubre", 10, "es"},
    {"noviembre", 11, "es"},
    {"diciembre", 12, "es"},
    {"dic", 12, "es"},
    /* Turkish */
    {"ocak", 1, "tr"},
    {"oca", 1, "tr"},
    {"subat", 2, "tr"},
    {"sub", 2, "tr"},
    {"mart", 3, "tr az sr"},
    {"nisan", 4, "tr"},
    {"nis", 4, "tr"},
    {"mayis", 5, "tr"},
    {"haziran", 6, "tr"},
    {"haz", 6, "tr"},
    {"temmuz", 7, "tr"},
    {"tem", 7, "tr"},
    {"agustos", 8, "tr"},
    {"agu", 8, "tr"},
    {"eylul", 9, "tr"},
    {"eyl", 9, "tr"},
    {"ekim", 10, "tr"},
    {"eki", 10, "tr"},
    {"kasim", 11, "tr"},
    {"kas", 11, "tr"},
    {"aralik", 12, "tr"},
    {"ara", 12, "tr"},
    /* Azerbaijani */
    {"yanvar", 1, "az"},
    {"yan", 1, "az"},
    {"fevral", 2, "az"},
    {"aprel", 4, "az"},
    {"iyun", 6, "az"},
    {"iyn", 6, "az"},
    {"iyul", 7, "az"},
    {"iyl", 7, "az"},
    {"avqust", 8, "az"},
    {"avq", 8, "az"},
    {"sentyabr", 9, "az"},
    {"sen", 9, "az"},
    {"oktyabr", 10, "az"},
    {"noyabr", 11, "az"},
    {"noy", 11, "az"},
    {"dekabr", 12, "az"},
    {"dek", 12, "az"},
    /* Albanian (indefinite and definite forms) */
    {"janar", 1, "sq"},
    {"janari", 1, "sq"},
    {"shkurt", 2, "sq"},
    {"shkurti", 2, "sq"},
    {"shk", 2, "sq"},
    {"marsi", 3, "sq"},
    {"prill", 4, "sq"},
    {"prilli", 4, "sq"},
    {"pri", 4, "sq"},
    {"maj", 5, "sq sr"},
    {"maji", 5, "sq"},
    {"qershor", 6, "sq"},
    {"qershori", 6, "sq"},
    {"qer", 6, "sq"},
    {"korrik", 7, "sq"},
    {"korriku", 7, "sq"},
    {"kor", 7, "sq"},
    {"gusht", 8, "sq"},
    {"gushti", 8, "sq"},
    {"gsh", 8, "sq"},
    {"shtator", 9, "sq"},
    {"shtatori", 9, "sq"},
    {"sht", 9, "sq"},
    {"tetor", 10, "sq"},
    {"tetori", 10, "sq"},
    {"tet", 10, "sq"},
    {"nentor", 11, "sq"},
    {"nentori", 11, "sq"},
    {"nen", 11, "sq"},
    {"dhjetor", 12, "sq"},
    {"dhjetori", 12, "sq"},
    {"dhj", 12, "sq"},
    /* Serbian in Latin letters (nominative and genitive) */
    {"januara", 1, "sr"},
    {"februara", 2, "sr"},
    {"marta", 3, "sr"},
    {"aprila", 4, "sr"},
    {"maja", 5, "sr"},
    {"juna", 6, "sr"},
    {"jula", 7, "sr"},
    {"avgust", 8, "sr"},
    {"avgusta", 8, "sr"},
    {"avg", 8, "sr"},
    {"septembar", 9, "sr"},
    {"septembra", 9, "sr"},
    {"oktobar", 10, "sr"},
    {"oktobra", 10, "sr"},
    {"novembar", 11, "sr"},
    {"novembra", 11, "sr"},
    {"decembar", 12, "sr"},
    {"decembra", 12, "sr"},
    /* Serbian in Cyrillic (nominative and genitive) */
    {"јануар", 1, "sr"},
    {"јануара", 1, "sr"},
    {"јан", 1, "sr"},
    {"фебруар", 2, "sr"},
    {"фебруара", 2, "sr"},
    {"феб", 2, "sr"},
    {"март", 3, "sr ru"},
    {"марта", 3, "sr ru"},
    {"мар", 3, "sr ru"},
    {"април", 4, "sr"},
    {"априла", 4, "sr"},
    {"апр", 4, "sr ru"},
    {"мај", 5, "sr"},
    {"маја", 5, "sr"},
    {"јун", 6, "sr"},
    {"јуна", 6, "sr"},
    {"јул", 7, "sr"},
    {"јула", 7, "sr"},
    {"август", 8, "sr ru"},
    {"августа", 8, "sr ru"},
    {"авг", 8, "sr ru"},
    {"септембар", 9, "sr"},
    {"септембра", 9, "sr"},
    {"сеп", 9, "sr"},
    {"октобар", 10, "sr"},
    {"октобра", 10, "sr"},
    {"окт", 10, "sr ru"},
    {"новембар", 11, "sr"},
    {"новембра", 11, "sr"},
    {"нов", 11, "sr"},
    {"децембар", 12, "sr"},
    {"децембра", 12, "sr"},
    {"дец", 12, "sr"},
    /* Russian (nominative and genitive) */
    {"январь", 1, "ru"},
    {"января", 1, "ru"},
    {"янв", 1, "ru"},
    {"февраль", 2, "ru"},
    {"февраля", 2, "ru"},
    {"фев", 2, "ru"},
    {"февр", 2, "ru"},
    {"апрель", 4, "ru"},
    {"апреля", 4, "ru"},
    {"май", 5, "ru"},
    {"мая", 5, "ru"},
    {"июнь", 6, "ru"},
    {"июня", 6, "ru"},
    {"июн", 6, "ru"},
    {"июль", 7, "ru"},
    {"июля", 7, "ru"},
    {"июл", 7, "ru"},
    {"сентябрь", 9, "ru"},
    {"сентября", 9, "ru"},
    {"сен", 9, "ru"},
    {"сент", 9, "ru"},
    {"октябрь", 10, "ru"},
    {"октября", 10, "ru"},
    {"ноябрь", 11, "ru"},
    {"ноября", 11, "ru"},
    {"ноя", 11, "ru"},
    {"нояб", 11, "ru"},
    {"декабрь", 12, "ru"},
    {"декабря", 12, "ru"},
    {"дек", 12, "ru"},
    /* Armenian (nominative, genitive as in dates: մարտի 12, abbreviations) */
    {"հունվար", 1, "hy"},
    {"հունվարի", 1, "hy"},
    {"հնվ", 1, "hy"},
    {"փետրվար", 2, "hy"},
    {"փետրվարի", 2, "hy"},
    {"փտվ", 2, "hy"},
    {"մարտ", 3, "hy"},
    {"մարտի", 3, "hy"},
    {"մրտ", 3, "hy"},
    {"ապրիլ", 4, "hy"},
    {"ապրիլի", 4, "hy"},
    {"ապր", 4, "hy"},
    {"մայիս", 5, "hy"},
    {"մայիսի", 5, "hy"},
    {"մյս", 5, "hy"},
    {"հունիս", 6, "hy"},
    {"հունիսի", 6, "hy"},
    {"հնս", 6, "hy"},
    {"հուլիս", 7, "hy"},
    {"հուլիսի", 7, "hy"},
    {"հլս", 7, "hy"},
    {"օգոստոս", 8, "hy"},
    {"օգոստոսի", 8, "hy"},
    {"օգս", 8, "hy"},
    {"սեպտեմբեր", 9, "hy"},
    {"սեպտեմբերի", 9, "hy"},
    {"սեպ", 9, "hy"},
    {"հոկտեմբեր", 10, "hy"},
    {"հոկտեմբերի", 10, "hy"},
    {"հոկ", 10, "hy"},
    {"նոյեմբեր", 11, "hy"},
    {"նոյեմբերի", 11, "hy"},
    {"նոյ", 11, "hy"},
    {"դեկտեմբեր", 12, "hy"},
    {"դեկտեմբերի", 12, "hy"},
    {"դեկ", 12, "hy"},
    /* Georgian (nominative, genitive, dative: 12 მარტს) */
    {"იანვარი", 1, "ka"},
    {"იანვრის", 1, "ka"},
    {"იანვარს", 1, "ka"},
    {"იან", 1, "ka"},
    {"თებერვალი", 2, "ka"},
    {"თებერვლის", 2, "ka"},
    {"თებერვალს", 2, "ka"},
    {"თებ", 2, "ka"},
    {"მარტი", 3, "ka"},
    {"მარტის", 3, "ka"},
    {"მარტს", 3, "ka"},
    {"მარ", 3, "ka"},
    {"აპრილი", 4, "ka"},
    {"აპრილის", 4, "ka"},
    {"აპრილს", 4, "ka"},
    {"აპრ", 4, "ka"},
    {"მაისი", 5, "ka"},
    {"მაისის", 5, "ka"},
    {"მაისს", 5, "ka"},
    {"მაი", 5, "ka"},
    {"ივნისი", 6, "ka"},
    {"ივნისის", 6, "ka"},
    {"ივნისს", 6, "ka"},
    {"ივნ", 6, "ka"},
    {"ივლისი", 7, "ka"},
    {"ივლისის", 7, "ka"},
    {"ივლისს", 7, "ka"},
    {"ივლ", 7, "ka"},
    {"აგვისტო", 8, "ka"},
    {"აგვისტოს", 8, "ka"},
    {"აგვ", 8, "ka"},
    {"სექტემბერი", 9, "ka"},
    {"სექტემბრის", 9, "ka"},
    {"სექტემბერს", 9, "ka"},
    {"სექ", 9, "ka"},
    {"ოქტომბერი", 10, "ka"},
    {"ოქტომბრის", 10, "ka"},
    {"ოქტომბერს", 10, "ka"},
    {"ოქტ", 10, "ka"},
    {"ნოემბერი", 11, "ka"},
    {"ნოემბრის", 11, "ka"},
    {"ნოემბერს", 11, "ka"},
    {"ნოე", 11, "ka"},
    {"დეკემბერი", 12, "ka"},
    {"დეკემბრის", 12, "ka"},
    {"დეკემბერს", 12, "ka"},
    {"დეკ", 12, "ka"},
    /* Arabic: Modern Standard and Egyptian (from the Latin names), hamza folded away */
    {"يناير", 1, "ar"},
    {"فبراير", 2, "ar"},
    {"مارس", 3, "ar"},
    {"ابريل", 4, "ar"},
    {"مايو", 5, "ar"},
    {"يونيو", 6, "ar"},
    {"يونيه", 6, "ar (Egypt)"},
    {"يوليو", 7, "ar"},
    {"يوليه", 7, "ar (Egypt)"},
    {"اغسطس", 8, "ar"},
    {"سبتمبر", 9, "ar"},
    {"اكتوبر", 10, "ar"},
    {"نوفمبر", 11, "ar"},
    {"ديسمبر", 12, "ar"},
    /* Arabic: Levant and Iraq (Syriac names) */
    {"كانون الثاني", 1, "ar (Levant, Iraq)"},
    {"كانون ثاني", 1, "ar (Levant, Iraq)"},
    {"شباط", 2, "ar (Levant, Iraq)"},
    {"اذار", 3, "ar (Levant, Iraq)"},
    {"نيسان", 4, "ar (Levant, Iraq)"},
    {"ايار", 5, "ar (Levant, Iraq)"},
    {"حزيران", 6, "ar (Levant, Iraq)"},
    {"تموز", 7, "ar (Levant, Iraq)"},
    {"اب", 8, "ar (Levant, Iraq)"},
    {"ايلول", 9, "ar (Levant, Iraq)"},
    {"تشرين الاول", 10, "ar (Levant, Iraq)"},
    {"تشرين اول", 10, "ar (Levant, Iraq)"},
    {"تشرين الثاني", 11, "ar (Levant, Iraq)"},
    {"تشرين ثاني", 11, "ar (Levant, Iraq)"},
    {"كانون الاول", 12, "ar (Levant, Iraq)"},
    {"كانون اول", 12, "ar (Levant, Iraq)"},
    /* Arabic: the Maghreb (from the French names) */
    {"جانفي", 1, "ar (Maghreb)"},
    {"فيفري", 2, "ar (Maghreb)"},
    {"افريل", 4, "ar (Maghreb)"},
    {"ماي", 5, "ar (Maghreb)"},
    {"جوان", 6, "ar (Maghreb)"},
    {"جويلية", 7, "ar (Maghreb)"},
    {"اوت", 8, "ar (Maghreb)"},
    /* Roman numerals, as Balkan and Eastern European registers write months (12.III.1992) */
    {"i", 1, "roman"},
    {"ii", 2, "roman"},
    {"iii", 3, "roman"},
    {"iv", 4, "roman"},
    {"v", 5, "roman"},
    {"vi", 6, "roman"},
    {"vii", 7, "roman"},
    {"viii", 8, "roman"},
    {"ix", 9, "roman"},
    {"x", 10, "roman"},
    {"xi", 11, "roman"},
    {"xii", 12, "roman"},
    /* Filler words: "12 de marzo de 1992", "12 марта 1992 г.", "1992 թ.", "1992-ci il",
     * "1992 წლის", "1992. god.", "1er mars", "12th of March", "am 12. März", "1992 م" */
    {"de", 0, "es"},
    {"del", 0, "es"},
    {"le", 0, "fr"},
    {"er", 0, "fr (1er)"},
    {"st", 0, "en"},
    {"nd", 0, "en"},
    {"rd", 0, "en"},
    {"th", 0, "en"},
    {"of", 0, "en"},
    {"the", 0, "en"},
    {"am", 0, "de"},
    {"den", 0, "de"},
    {"г", 0, "ru sr"},
    {"год", 0, "ru sr"},
    {"года", 0, "ru"},
    {"году", 0, "ru"},
    {"године", 0, "sr"},
    {"godine", 0, "sr"},
    {"god", 0, "sr sq"},
    {"g", 0, "sr"},
    {"թ", 0, "hy"},
    {"թվ", 0, "hy"},
    {"թվականի", 0, "hy"},
    {"թվականին", 0, "hy"},
    {"წ", 0, "ka"},
    {"წლის", 0, "ka"},
    {"il", 0, "az tr"},
    {"ci", 0, "az tr (-ci, -cı)"},
    {"cu", 0, "az tr (-cu, -cü)"},
    {"yili", 0, "tr"},
    {"me", 0, "sq (më)"},
    {"سنة", 0, "ar"},
    {"عام", 0, "ar"},
    {"م", 0, "ar (AD)"},
    {"في", 0, "ar"},
};
const size_t ingest_date_nwords = RK_ARRAY_LEN(ingest_date_words);

#define FOLD_MAX 96 /* UTF-16 units of a word being folded; a longer word is no month */

/* Is c a letter whose marks are dropped when folding (Latin, Arabic)? */
static bool marks_fold(UChar32 c)
{
    return c < 0x0250 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x0600 && c <= 0x06FF);
}

/* Folds a word as written into the table's form: compatibility forms and case folded
 * (NFKC_Casefold, which also drops direction marks), marks on Latin and Arabic letters dropped,
 * dotless ı as i, Persian keheh and yeh as Arabic kaf and yeh, tatweel dropped, blanks as one
 * space. Returns false when the word is too long or not text. */
static bool fold(char *out, size_t cap, const char *word, size_t len)
{
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)word[i] < 0x80;
    if (ascii) {
        /* The common case (Latin names, Roman numerals), without ICU. */
        size_t k = 0;
        bool space = false;
        for (size_t i = 0; i < len; i++) {
            char c = word[i];
            if (c == ' ' || c == '\t') {
                space = k > 0;
                continue;
            }
            if (k + 2 >= cap)
                return false;
            if (space)
                out[k++] = ' ';
            space = false;
            out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        out[k] = '\0';
        return true;
    }
    UErrorCode e = U_ZERO_ERROR;
    UChar a[FOLD_MAX], b[FOLD_MAX];
    int32_t n;
    u_strFromUTF8(a, FOLD_MAX, &n, word, (int32_t)len, &e);
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e) || n >= FOLD_MAX)
        return false;
    n = unorm2_normalize(nfkc_cf, a, n, b, FOLD_MAX, &e);
    n = U_SUCCESS(e) ? unorm2_normalize(nfd, b, n, a, FOLD_MAX, &e) : 0;
    if (U_FAILURE(e) || n >= FOLD_MAX)
        return false;
    /* a holds the decomposed word: keep what the table keeps, into b. */
    int32_t k = 0;
    UChar32 base = 0;
    bool space = false;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(a, i, n, c);
        if (u_isUWhiteSpace(c)) {
            space = k > 0;
            continue;
        }
        if ((U_GET_GC_MASK(c) & U_GC_M_MASK) && marks_fold(base))
            continue;
        if (c == 0x0640) /* tatweel */
            continue;
        c = c == 0x0131 ? 'i' : c == 0x06A9 ? 0x0643 : c == 0x06CC ? 0x064A : c;
        if (!(U_GET_GC_MASK(c) & U_GC_M_MASK))
            base = c;
        if (k + 3 >= FOLD_MAX)
            return false;
        if (space)
            b[k++] = ' ';
        space = false;
        U16_APPEND_UNSAFE(b, k, c);
    }
    n = unorm2_normalize(nfc, b, k, a, FOLD_MAX, &e);
    if (U_FAILURE(e))
        return false;
    int32_t m;
    u_strToUTF8(out, (int32_t)cap, &m, a, n, &e);
    return U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING && (size_t)m < cap;
}

const date_word *ingest_date_word(const char *word, size_t len)
{
    char f[3 * FOLD_MAX];
    if (!fold(f, sizeof(f), word, len) || !f[0])
        return NULL;
    for (size_t i = 0; i < ingest_date_nwords; i++)
        if (ingest_date_words[i].word[0] == f[0] && strcmp(ingest_date_words[i].word, f) == 0)
            return &ingest_date_words[i];
    return NULL;
}
