/* The words of dates as lists write them: month names in the languages reckon reads names in
 * (their date cases and abbreviations), Roman month numerals, and the filler words written
 * around dates, in one table, looked up folded with ICU so that case and diacritics do not
 * matter. date.c reads a value into pieces and calls this for its words. */
#include "date_private.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* One table, in the byte order of its words (for a binary search): every word in its folded
 * form (lowercase; no diacritics on Latin or Arabic letters; dotless ı as i), the month it
 * names or 0 for a filler word ("12 de marzo de 1992", "12 марта 1992 г.", "1992 թ.",
 * "1992-ci il", "1992 წლის", "1992. god.", "1er mars", "12th of March", "am 12. März",
 * "1992 م"), and where it is written (languages; "roman" for the numerals of 12.III.1992;
 * Arabic names from the Levant and Iraq are the Syriac ones, كانون الثاني ... كانون الاول).
 * tests/unit/ingest/date.c checks the order, that every word is found as written and that no
 * word names two months. */
const date_word ingest_date_words[] = {
    {"abr", 4, "es"},
    {"abril", 4, "es"},
    {"ago", 8, "es"},
    {"agosto", 8, "es"},
    {"agu", 8, "tr"},
    {"agustos", 8, "tr"},
    {"am", 0, "de"},
    {"aout", 8, "fr"},
    {"apr", 4, "en de az sr"},
    {"aprel", 4, "az"},
    {"april", 4, "en de sr"},
    {"aprila", 4, "sr"},
    {"ara", 12, "tr"},
    {"aralik", 12, "tr"},
    {"aug", 8, "en de"},
    {"august", 8, "en de"},
    {"avg", 8, "sr"},
    {"avgust", 8, "sr"},
    {"avgusta", 8, "sr"},
    {"avq", 8, "az"},
    {"avqust", 8, "az"},
    {"avr", 4, "fr"},
    {"avril", 4, "fr"},
    {"ci", 0, "az tr (-ci, -cı)"},
    {"cu", 0, "az tr (-cu, -cü)"},
    {"de", 0, "es"},
    {"dec", 12, "en fr sr"},
    {"decembar", 12, "sr"},
    {"december", 12, "en"},
    {"decembra", 12, "sr"},
    {"decembre", 12, "fr"},
    {"dek", 12, "az"},
    {"dekabr", 12, "az"},
    {"del", 0, "es"},
    {"den", 0, "de"},
    {"dez", 12, "de"},
    {"dezember", 12, "de"},
    {"dhj", 12, "sq"},
    {"dhjetor", 12, "sq"},
    {"dhjetori", 12, "sq"},
    {"dic", 12, "es"},
    {"diciembre", 12, "es"},
    {"eki", 10, "tr"},
    {"ekim", 10, "tr"},
    {"ene", 1, "es"},
    {"enero", 1, "es"},
    {"er", 0, "fr (1er)"},
    {"eyl", 9, "tr"},
    {"eylul", 9, "tr"},
    {"feb", 2, "en de es sr"},
    {"feber", 2, "de (Austria)"},
    {"febrero", 2, "es"},
    {"februar", 2, "de sr"},
    {"februara", 2, "sr"},
    {"february", 2, "en"},
    {"fev", 2, "fr az"},
    {"fevr", 2, "fr"},
    {"fevral", 2, "az"},
    {"fevrier", 2, "fr"},
    {"g", 0, "sr"},
    {"god", 0, "sr sq"},
    {"godine", 0, "sr"},
    {"gsh", 8, "sq"},
    {"gusht", 8, "sq"},
    {"gushti", 8, "sq"},
    {"haz", 6, "tr"},
    {"haziran", 6, "tr"},
    {"i", 1, "roman"},
    {"ii", 2, "roman"},
    {"iii", 3, "roman"},
    {"il", 0, "az tr"},
    {"iv", 4, "roman"},
    {"ix", 9, "roman"},
    {"iyl", 7, "az"},
    {"iyn", 6, "az"},
    {"iyul", 7, "az"},
    {"iyun", 6, "az"},
    {"jaenner", 1, "de (Austria)"},
    {"jan", 1, "en de fr sr sq"},
    {"janar", 1, "sq"},
    {"janari", 1, "sq"},
    {"janner", 1, "de (Austria)"},
    {"januar", 1, "de sr"},
    {"januara", 1, "sr"},
    {"january", 1, "en"},
    {"janv", 1, "fr"},
    {"janvier", 1, "fr"},
    {"juil", 7, "fr"},
    {"juillet", 7, "fr"},
    {"juin", 6, "fr"},
    {"jul", 7, "en de es sr"},
    {"jula", 7, "sr"},
    {"juli", 7, "de"},
    {"julio", 7, "es"},
    {"july", 7, "en"},
    {"jun", 6, "en de es sr"},
    {"juna", 6, "sr"},
    {"june", 6, "en"},
    {"juni", 6, "de"},
    {"junio", 6, "es"},
    {"kas", 11, "tr"},
    {"kasim", 11, "tr"},
    {"kor", 7, "sq"},
    {"korrik", 7, "sq"},
    {"korriku", 7, "sq"},
    {"le", 0, "fr"},
    {"maerz", 3, "de"},
    {"mai", 5, "fr de"},
    {"maj", 5, "sq sr"},
    {"maja", 5, "sr"},
    {"maji", 5, "sq"},
    {"mar", 3, "en de es sr"},
    {"march", 3, "en"},
    {"mars", 3, "fr sq"},
    {"marsi", 3, "sq"},
    {"mart", 3, "tr az sr"},
    {"marta", 3, "sr"},
    {"marz", 3, "de"},
    {"marzo", 3, "es"},
    {"may", 5, "en az tr"},
    {"mayis", 5, "tr"},
    {"mayo", 5, "es"},
    {"me", 0, "sq (më)"},
    {"mrz", 3, "de"},
    {"nd", 0, "en"},
    {"nen", 11, "sq"},
    {"nentor", 11, "sq"},
    {"nentori", 11, "sq"},
    {"nis", 4, "tr"},
    {"nisan", 4, "tr"},
    {"nov", 11, "en fr es sr"},
    {"novembar", 11, "sr"},
    {"november", 11, "en de"},
    {"novembra", 11, "sr"},
    {"novembre", 11, "fr"},
    {"noviembre", 11, "es"},
    {"noy", 11, "az"},
    {"noyabr", 11, "az"},
    {"oca", 1, "tr"},
    {"ocak", 1, "tr"},
    {"oct", 10, "en fr es"},
    {"october", 10, "en"},
    {"octobre", 10, "fr"},
    {"octubre", 10, "es"},
    {"of", 0, "en"},
    {"okt", 10, "de az sr"},
    {"oktobar", 10, "sr"},
    {"oktober", 10, "de"},
    {"oktobra", 10, "sr"},
    {"oktyabr", 10, "az"},
    {"pri", 4, "sq"},
    {"prill", 4, "sq"},
    {"prilli", 4, "sq"},
    {"qer", 6, "sq"},
    {"qershor", 6, "sq"},
    {"qershori", 6, "sq"},
    {"rd", 0, "en"},
    {"sen", 9, "az"},
    {"sentyabr", 9, "az"},
    {"sep", 9, "en de es sr"},
    {"sept", 9, "en fr es de"},
    {"septembar", 9, "sr"},
    {"september", 9, "en de"},
    {"septembra", 9, "sr"},
    {"septembre", 9, "fr"},
    {"septiembre", 9, "es"},
    {"set", 9, "es"},
    {"setiembre", 9, "es"},
    {"shk", 2, "sq"},
    {"shkurt", 2, "sq"},
    {"shkurti", 2, "sq"},
    {"sht", 9, "sq"},
    {"shtator", 9, "sq"},
    {"shtatori", 9, "sq"},
    {"st", 0, "en"},
    {"sub", 2, "tr"},
    {"subat", 2, "tr"},
    {"tem", 7, "tr"},
    {"temmuz", 7, "tr"},
    {"tet", 10, "sq"},
    {"tetor", 10, "sq"},
    {"tetori", 10, "sq"},
    {"th", 0, "en"},
    {"the", 0, "en"},
    {"v", 5, "roman"},
    {"vi", 6, "roman"},
    {"vii", 7, "roman"},
    {"viii", 8, "roman"},
    {"x", 10, "roman"},
    {"xi", 11, "roman"},
    {"xii", 12, "roman"},
    {"yan", 1, "az"},
    {"yanvar", 1, "az"},
    {"yili", 0, "tr"},
    {"авг", 8, "sr ru"},
    {"август", 8, "sr ru"},
    {"августа", 8, "sr ru"},
    {"апр", 4, "sr ru"},
    {"апрель", 4, "ru"},
    {"апреля", 4, "ru"},
    {"април", 4, "sr"},
    {"априла", 4, "sr"},
    {"г", 0, "ru sr"},
    {"год", 0, "ru sr"},
    {"года", 0, "ru"},
    {"године", 0, "sr"},
    {"году", 0, "ru"},
    {"дек", 12, "ru"},
    {"декабрь", 12, "ru"},
    {"декабря", 12, "ru"},
    {"дец", 12, "sr"},
    {"децембар", 12, "sr"},
    {"децембра", 12, "sr"},
    {"июл", 7, "ru"},
    {"июль", 7, "ru"},
    {"июля", 7, "ru"},
    {"июн", 6, "ru"},
    {"июнь", 6, "ru"},
    {"июня", 6, "ru"},
    {"май", 5, "ru"},
    {"мар", 3, "sr ru"},
    {"март", 3, "sr ru"},
    {"марта", 3, "sr ru"},
    {"мая", 5, "ru"},
    {"мај", 5, "sr"},
    {"маја", 5, "sr"},
    {"нов", 11, "sr"},
    {"новембар", 11, "sr"},
    {"новембра", 11, "sr"},
    {"ноя", 11, "ru"},
    {"нояб", 11, "ru"},
    {"ноябрь", 11, "ru"},
    {"ноября", 11, "ru"},
    {"окт", 10, "sr ru"},
    {"октобар", 10, "sr"},
    {"октобра", 10, "sr"},
    {"октябрь", 10, "ru"},
    {"октября", 10, "ru"},
    {"сен", 9, "ru"},
    {"сент", 9, "ru"},
    {"сентябрь", 9, "ru"},
    {"сентября", 9, "ru"},
    {"сеп", 9, "sr"},
    {"септембар", 9, "sr"},
    {"септембра", 9, "sr"},
    {"феб", 2, "sr"},
    {"фебруар", 2, "sr"},
    {"фебруара", 2, "sr"},
    {"фев", 2, "ru"},
    {"февр", 2, "ru"},
    {"февраль", 2, "ru"},
    {"февраля", 2, "ru"},
    {"янв", 1, "ru"},
    {"январь", 1, "ru"},
    {"января", 1, "ru"},
    {"јан", 1, "sr"},
    {"јануар", 1, "sr"},
    {"јануара", 1, "sr"},
    {"јул", 7, "sr"},
    {"јула", 7, "sr"},
    {"јун", 6, "sr"},
    {"јуна", 6, "sr"},
    {"ապր", 4, "hy"},
    {"ապրիլ", 4, "hy"},
    {"ապրիլի", 4, "hy"},
    {"դեկ", 12, "hy"},
    {"դեկտեմբեր", 12, "hy"},
    {"դեկտեմբերի", 12, "hy"},
    {"թ", 0, "hy"},
    {"թվ", 0, "hy"},
    {"թվականի", 0, "hy"},
    {"թվականին", 0, "hy"},
    {"հլս", 7, "hy"},
    {"հնս", 6, "hy"},
    {"հնվ", 1, "hy"},
    {"հոկ", 10, "hy"},
    {"հոկտեմբեր", 10, "hy"},
    {"հոկտեմբերի", 10, "hy"},
    {"հուլիս", 7, "hy"},
    {"հուլիսի", 7, "hy"},
    {"հունիս", 6, "hy"},
    {"հունիսի", 6, "hy"},
    {"հունվար", 1, "hy"},
    {"հունվարի", 1, "hy"},
    {"մայիս", 5, "hy"},
    {"մայիսի", 5, "hy"},
    {"մարտ", 3, "hy"},
    {"մարտի", 3, "hy"},
    {"մյս", 5, "hy"},
    {"մրտ", 3, "hy"},
    {"նոյ", 11, "hy"},
    {"նոյեմբեր", 11, "hy"},
    {"նոյեմբերի", 11, "hy"},
    {"սեպ", 9, "hy"},
    {"սեպտեմբեր", 9, "hy"},
    {"սեպտեմբերի", 9, "hy"},
    {"փետրվար", 2, "hy"},
    {"փետրվարի", 2, "hy"},
    {"փտվ", 2, "hy"},
    {"օգոստոս", 8, "hy"},
    {"օգոստոսի", 8, "hy"},
    {"օգս", 8, "hy"},
    {"اب", 8, "ar (Levant, Iraq)"},
    {"ابريل", 4, "ar"},
    {"اذار", 3, "ar (Levant, Iraq)"},
    {"اغسطس", 8, "ar"},
    {"افريل", 4, "ar (Maghreb)"},
    {"اكتوبر", 10, "ar"},
    {"اوت", 8, "ar (Maghreb)"},
    {"ايار", 5, "ar (Levant, Iraq)"},
    {"ايلول", 9, "ar (Levant, Iraq)"},
    {"تشرين الاول", 10, "ar (Levant, Iraq)"},
    {"تشرين الثاني", 11, "ar (Levant, Iraq)"},
    {"تشرين اول", 10, "ar (Levant, Iraq)"},
    {"تشرين ثاني", 11, "ar (Levant, Iraq)"},
    {"تموز", 7, "ar (Levant, Iraq)"},
    {"جانفي", 1, "ar (Maghreb)"},
    {"جوان", 6, "ar (Maghreb)"},
    {"جويلية", 7, "ar (Maghreb)"},
    {"حزيران", 6, "ar (Levant, Iraq)"},
    {"ديسمبر", 12, "ar"},
    {"سبتمبر", 9, "ar"},
    {"سنة", 0, "ar"},
    {"شباط", 2, "ar (Levant, Iraq)"},
    {"عام", 0, "ar"},
    {"فبراير", 2, "ar"},
    {"في", 0, "ar"},
    {"فيفري", 2, "ar (Maghreb)"},
    {"كانون الاول", 12, "ar (Levant, Iraq)"},
    {"كانون الثاني", 1, "ar (Levant, Iraq)"},
    {"كانون اول", 12, "ar (Levant, Iraq)"},
    {"كانون ثاني", 1, "ar (Levant, Iraq)"},
    {"م", 0, "ar (AD)"},
    {"مارس", 3, "ar"},
    {"ماي", 5, "ar (Maghreb)"},
    {"مايو", 5, "ar"},
    {"نوفمبر", 11, "ar"},
    {"نيسان", 4, "ar (Levant, Iraq)"},
    {"يناير", 1, "ar"},
    {"يوليه", 7, "ar (Egypt)"},
    {"يوليو", 7, "ar"},
    {"يونيه", 6, "ar (Egypt)"},
    {"يونيو", 6, "ar"},
    {"აგვ", 8, "ka"},
    {"აგვისტო", 8, "ka"},
    {"აგვისტოს", 8, "ka"},
    {"აპრ", 4, "ka"},
    {"აპრილი", 4, "ka"},
    {"აპრილის", 4, "ka"},
    {"აპრილს", 4, "ka"},
    {"დეკ", 12, "ka"},
    {"დეკემბერი", 12, "ka"},
    {"დეკემბერს", 12, "ka"},
    {"დეკემბრის", 12, "ka"},
    {"თებ", 2, "ka"},
    {"თებერვალი", 2, "ka"},
    {"თებერვალს", 2, "ka"},
    {"თებერვლის", 2, "ka"},
    {"იან", 1, "ka"},
    {"იანვარი", 1, "ka"},
    {"იანვარს", 1, "ka"},
    {"იანვრის", 1, "ka"},
    {"ივლ", 7, "ka"},
    {"ივლისი", 7, "ka"},
    {"ივლისის", 7, "ka"},
    {"ივლისს", 7, "ka"},
    {"ივნ", 6, "ka"},
    {"ივნისი", 6, "ka"},
    {"ივნისის", 6, "ka"},
    {"ივნისს", 6, "ka"},
    {"მაი", 5, "ka"},
    {"მაისი", 5, "ka"},
    {"მაისის", 5, "ka"},
    {"მაისს", 5, "ka"},
    {"მარ", 3, "ka"},
    {"მარტი", 3, "ka"},
    {"მარტის", 3, "ka"},
    {"მარტს", 3, "ka"},
    {"ნოე", 11, "ka"},
    {"ნოემბერი", 11, "ka"},
    {"ნოემბერს", 11, "ka"},
    {"ნოემბრის", 11, "ka"},
    {"ოქტ", 10, "ka"},
    {"ოქტომბერი", 10, "ka"},
    {"ოქტომბერს", 10, "ka"},
    {"ოქტომბრის", 10, "ka"},
    {"სექ", 9, "ka"},
    {"სექტემბერი", 9, "ka"},
    {"სექტემბერს", 9, "ka"},
    {"სექტემბრის", 9, "ka"},
    {"წ", 0, "ka"},
    {"წლის", 0, "ka"},
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

/* The entry of a word in the table's form, or NULL: a binary search. */
static const date_word *find(const char *f, size_t len)
{
    size_t lo = 0, hi = ingest_date_nwords;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = ingest_date_words[mid].word;
        int c = strncmp(w, f, len);
        if (c == 0 && w[len])
            c = 1;
        if (c == 0)
            return &ingest_date_words[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const date_word *ingest_date_word(const char *word, size_t len)
{
    if (len == 0)
        return NULL;
    /* As written first: most month names are written as the table has them (марта, mart). */
    const date_word *w = find(word, len);
    if (w)
        return w;
    char f[3 * FOLD_MAX];
    if (!fold(f, sizeof(f), word, len) || !f[0])
        return NULL;
    return find(f, strlen(f));
}
